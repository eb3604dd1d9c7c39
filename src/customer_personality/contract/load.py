"""Reading a contract file for the command line: the YAML mapping itself (fields:,
products:, ...), or a vars file holding it under input_contract:. dbt checks the
contract's content (macro input_contract) and names this file in its messages."""

from __future__ import annotations

from pathlib import Path

import yaml


class ContractError(ValueError):
    """A contract file that cannot be read: the message names the file."""


def read_contract(path: Path) -> dict:
    """The contract of a YAML file, as a mapping; a file that is missing, not YAML,
    or not a mapping with fields: raises ContractError naming it."""
    if not path.is_file():
        raise ContractError(f"Input contract {path}: no such file")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ContractError(f"Input contract {path} is not valid YAML: {error}") from None
    if isinstance(data, dict) and isinstance(data.get("input_contract"), dict):
        data = data["input_contract"]
    if not isinstance(data, dict) or "fields" not in data:
        raise ContractError(
            f"Input contract {path}: expected a mapping with fields: (customer_id: "
            "<your ID column>, ...) and optional products:, channels:, campaigns:, "
            "features:, ignore:"
        )
    return data
