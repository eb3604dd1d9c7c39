"""The canonical fields and lists of an input contract: the same registry as the
dbt macros input_field_registry and input_list_registry (a test compares them)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    """A canonical field: its group, its kind (how staging types and checks it) and
    the names an export commonly gives it (lowercase, letters and digits only)."""

    group: str
    kind: str
    sql_type: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ListSpec:
    """A list of the contract: the group its entries belong to, the staging column
    each makes (prefix + name + suffix), its default kind and the kinds allowed."""

    group: str
    prefix: str
    suffix: str
    kind: str
    kinds: tuple[str, ...]


FIELDS: dict[str, Field] = {
    "customer_id": Field(
        "id",
        "id",
        "bigint",
        (
            "id",
            "customerid",
            "custid",
            "clientid",
            "customerno",
            "customernumber",
            "memberid",
            "userid",
            "accountid",
        ),
    ),
    "birth_year": Field(
        "demographics",
        "year",
        "integer",
        ("yearbirth", "birthyear", "yob", "yearofbirth"),
    ),
    "age": Field("demographics", "count", "integer", ("age", "ageyears")),
    "education": Field(
        "demographics", "text", "varchar", ("education", "educationlevel")
    ),
    "marital_status": Field(
        "demographics", "text", "varchar", ("maritalstatus", "marital")
    ),
    "income": Field(
        "demographics",
        "money",
        "double",
        (
            "income",
            "annualincome",
            "yearlyincome",
            "householdincome",
            "salary",
            "annualincomek",
        ),
    ),
    "kids_at_home": Field(
        "demographics", "count", "integer", ("kidhome", "kidsathome", "kids")
    ),
    "teens_at_home": Field(
        "demographics", "count", "integer", ("teenhome", "teensathome", "teens")
    ),
    "enrolled_on": Field(
        "tenure",
        "date",
        "date",
        (
            "dtcustomer",
            "enrolledon",
            "enrolmentdate",
            "enrollmentdate",
            "signupdate",
            "joindate",
            "joinedon",
            "customersince",
            "registrationdate",
            "firstpurchasedate",
        ),
    ),
    "recency_days": Field(
        "recency",
        "count",
        "integer",
        ("recency", "recencydays", "dayssincelastpurchase", "dayssincelastorder"),
    ),
    "deal_purchases": Field(
        "channels", "count", "integer", ("numdealspurchases", "dealpurchases", "deals")
    ),
    "web_visits_month": Field(
        "channels",
        "count",
        "integer",
        ("numwebvisitsmonth", "webvisitsmonth", "webvisits", "visitspermonth"),
    ),
    "has_complained": Field(
        "complaints",
        "flag",
        "boolean",
        ("complain", "complained", "hascomplained", "complaint"),
    ),
    "accepted_last_campaign": Field(
        "campaigns",
        "flag",
        "integer",
        ("response", "acceptedlastcampaign", "lastresponse"),
    ),
    "cost_per_contact": Field(
        "economics",
        "economics",
        "double",
        ("zcostcontact", "costcontact", "costpercontact"),
    ),
    "revenue_per_response": Field(
        "economics", "economics", "double", ("zrevenue", "revenue", "revenueperresponse")
    ),
}

LISTS: dict[str, ListSpec] = {
    "products": ListSpec("products", "amount_", "", "amount", ("amount", "count")),
    "channels": ListSpec("channels", "", "_purchases", "count", ("count",)),
    "campaigns": ListSpec("campaigns", "accepted_", "", "flag", ("flag",)),
    "features": ListSpec(
        "features", "", "", "number", ("number", "amount", "count", "text")
    ),
}

# The SQL type of each kind (macro input_kind_type).
KIND_TYPES: dict[str, str] = {
    "id": "bigint",
    "year": "integer",
    "count": "integer",
    "amount": "double",
    "money": "double",
    "number": "double",
    "flag": "integer",
    "date": "date",
    "text": "varchar",
    "economics": "double",
}
