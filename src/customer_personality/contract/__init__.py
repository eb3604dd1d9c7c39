"""The input contract: which column of a customer export holds each field.

The contract is YAML (README "Your own data"): fields (customer_id and the optional
canonical fields), lists (products, channels, campaigns, features) and ignored
columns. dbt checks and applies it (macros/contract/); this package reads a contract
file for the command line (`make run CONTRACT=...`) and drafts one from an export
(`python -m customer_personality contract FILE`).
"""

from customer_personality.contract.draft import Draft, draft_contract, write_draft
from customer_personality.contract.fields import FIELDS, LISTS, Field, ListSpec
from customer_personality.contract.load import ContractError, read_contract

__all__ = [
    "FIELDS",
    "LISTS",
    "ContractError",
    "Draft",
    "Field",
    "ListSpec",
    "draft_contract",
    "read_contract",
    "write_draft",
]
