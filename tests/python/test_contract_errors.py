"""A contract that does not fit stops the build before any model is built, with a
message naming the contract file and what is wrong: a column the input lacks (with
the field that maps it and the input's columns), an unknown field, a field of a type
it cannot have, two fields reading one column, a list entry without its column.

Each case is an edited copy of the default contract (dbt_project.yml) over the
bundled sample, built as `dbt build --select stg_customers` into an empty warehouse."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import SAMPLE_FILE, run_dbt
from helpers.contracts import (
    contract_vars,
    default_contract,
    relations,
    sample_frame,
    write_contract,
)

pytestmark = pytest.mark.build


def failing_build(tmp_path: Path, edit: Callable[[dict], None]) -> tuple[str, Path]:
    """Build stg_customers from the sample under the default contract as `edit`
    changes it; the build must fail, and build nothing. Returns dbt's output and the
    contract file."""
    contract = default_contract()
    edit(contract)
    contract_file = write_contract(tmp_path / "customers_contract.yml", contract)
    db = tmp_path / "warehouse.duckdb"
    run = run_dbt(
        "build",
        db,
        contract_vars(contract, contract_file, SAMPLE_FILE),
        select="stg_customers",
        check=False,
    )
    assert not run.success
    assert relations(db) == []
    assert not re.search(r"\bOK created\b", run.output)
    return run.output, contract_file


def contract_error(output: str) -> str:
    """The contract's message: the text of the first line naming the contract file
    (dbt repeats its errors)."""
    lines = [line for line in output.splitlines() if "Input contract " in line]
    assert lines, output[-3000:]
    return lines[0].strip()


def test_a_column_the_input_lacks(tmp_path):
    output, contract_file = failing_build(
        tmp_path, lambda contract: contract["fields"].update(income="Annual_Income")
    )
    message = contract_error(output)
    assert f"Raw customer file {SAMPLE_FILE} does not match the input contract" in message
    assert f"(Input contract {contract_file})" in message
    assert "Missing columns: Annual_Income (income)." in message
    # the column the contract no longer reads is unexpected
    assert "Unexpected columns: Income (map each to a field" in message
    header = ", ".join(sample_frame().columns)
    assert message.endswith(f"The input's columns: {header}")
    # the run-start hook stopped it: no seed or model was attempted
    assert "on-run-start" in output
    assert not re.findall(r"ERROR creating \w+ \w+ model ([\w.]+)", output)
    assert "OK created" not in output and "OK loaded seed" not in output


def test_an_unknown_field(tmp_path):
    output, contract_file = failing_build(
        tmp_path, lambda contract: contract["fields"].update(loyalty_tier="Education")
    )
    message = contract_error(output)
    assert message.startswith(
        f"Input contract {contract_file}: unknown field 'loyalty_tier' under fields:."
    )
    assert "The fields are customer_id, birth_year, age, education" in message


def test_a_field_of_the_wrong_type(tmp_path):
    output, contract_file = failing_build(
        tmp_path,
        lambda contract: contract["fields"].update(
            income={"column": "Income", "type": "text"}
        ),
    )
    assert contract_error(output) == (
        f"Input contract {contract_file}: fields: income has type 'text'; it can be money"
    )


def test_two_fields_reading_one_column(tmp_path):
    output, contract_file = failing_build(
        tmp_path, lambda contract: contract["fields"].update(teens_at_home="Kidhome")
    )
    assert contract_error(output) == (
        f"Input contract {contract_file}: duplicate mapping: teens_at_home and "
        "kids_at_home both read the input column 'Kidhome'"
    )


def test_a_list_entry_without_its_column(tmp_path):
    def drop_column(contract: dict) -> None:
        del contract["channels"][1]["column"]

    output, contract_file = failing_build(tmp_path, drop_column)
    message = contract_error(output)
    assert message.startswith(
        f"Input contract {contract_file}: channels: catalog needs its input column"
    )
