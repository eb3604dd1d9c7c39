"""The two statements of what each mart needs of the input contract agree: dbt
enables the marts by dbt_project.yml's +enabled rules (rendered while dbt parses, from
the vars alone), and build_info names the marts built and skipped by the macros
has_segments / mart_requirement / requirement_missing. For contracts lacking each
group in turn, the marts dbt parses as enabled are exactly those the macros say the
input makes."""

from __future__ import annotations

import json

import pytest
import yaml

from conftest import ROOT, run_dbt

pytestmark = pytest.mark.build

DEFAULT = yaml.safe_load((ROOT / "dbt_project.yml").read_text())["vars"]["input_contract"]

# {enabled: the marts dbt parsed as enabled, expected: those the macros say are built}
INLINE = """
{%- set enabled = [] -%}
{%- for node in graph.nodes.values()
    if node.resource_type == 'model' and node.package_name == 'customer_personality'
    and node.name in public_marts() -%}
    {%- do enabled.append(node.name) -%}
{%- endfor -%}
{%- set expected = [] -%}
{%- for mart in public_marts()
    if not requirement_missing(mart_requirement(mart)) -%}
    {%- do expected.append(mart) -%}
{%- endfor -%}
{{ tojson({'enabled': enabled | sort, 'expected': expected | sort}) }}
"""


def without(*fields: str, lists: tuple[str, ...] = ()) -> dict:
    contract = json.loads(json.dumps(DEFAULT))
    for name in fields:
        contract["fields"].pop(name)
    for name in lists:
        contract.pop(name, None)
    return contract


CONTRACTS = {
    "no enrolment date": without("enrolled_on"),
    "no products": without(lists=("products",)),
    "no complaints": without("has_complained"),
    "no response": without("accepted_last_campaign"),
    "an ID and income only": {
        "name": "minimal",
        "fields": {"customer_id": "ID", "income": "Income"},
        "ignore": [],
    },
}

MARTS_BY_CONTRACT = {
    "no enrolment date": {"customer_segments", "customer_scores", "customer_actions"},
    "no products": {"customer_segments", "product_consumer_rules"},
    "no complaints": {"customer_scores", "response_model_evaluation"},
    "no response": {"customer_actions", "response_model_deciles"},
    "an ID and income only": {"customer_segments", "customer_actions"},
}


@pytest.mark.parametrize("name", list(CONTRACTS))
def test_dbt_enables_the_marts_the_macros_say_are_built(name, tmp_path):
    result = run_dbt(
        "compile",
        tmp_path / "parse.duckdb",
        {"input_contract": CONTRACTS[name]},
        extra=["--inline", INLINE],
    )
    marts = json.loads(result.result.results[0].node.compiled_code)
    assert marts["enabled"] == marts["expected"]
    # The contract lacks what these marts need: neither statement builds them.
    assert MARTS_BY_CONTRACT[name].isdisjoint(marts["enabled"])
    assert {"customers", "cluster_evaluation", "build_vars"} <= set(marts["enabled"])
