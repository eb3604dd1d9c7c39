"""The calibrated model of synthetic customers: who they are and what they buy.

The constants were calibrated against the marginals and correlations of the real file
(no real row is used). Each stage draws one group of columns for n customers from the
caller's generator; customer_personality.synthetic.generate calls them in a fixed
order, adds the real file's faults and duplicates, and writes the raw schema.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

EDUCATION = ("Graduation", "PhD", "Master", "2n Cycle", "Basic")
EDUCATION_P = (0.503, 0.217, 0.165, 0.091, 0.024)
# income shift against Graduation, from a regression on the real file
EDUCATION_INCOME = (0.0, 2_900.0, 800.0, -3_600.0, -27_900.0)
EDUCATION_RESPONSE = (0.0, 0.55, 0.15, -0.2, -1.2)  # logit shift of Response

MARITAL = (
    "Married",
    "Together",
    "Single",
    "Divorced",
    "Widow",
    "Alone",
    "Absurd",
    "YOLO",
)
MARITAL_P = (0.387, 0.260, 0.215, 0.104, 0.034)  # the five real statuses
MARITAL_RESPONSE = (0.0, -0.1, 0.75, 0.7, 0.75)  # singles answer more often

FIRST_DAY = dt.date(2012, 7, 30)
DAYS = (dt.date(2014, 6, 29) - FIRST_DAY).days + 1
DATES = tuple(
    (FIRST_DAY + dt.timedelta(days=d)).strftime("%d-%m-%Y") for d in range(DAYS)
)

PRODUCTS = (
    "MntWines",
    "MntFruits",
    "MntMeatProducts",
    "MntFishProducts",
    "MntSweetProducts",
    "MntGoldProds",
)
PRODUCT_MAX = np.array([1_493, 199, 1_725, 259, 263, 362])
# mean product shares at three spending levels (total 30, 400, 1,800)
SHARE_KNOTS = np.log([30.0, 400.0, 1_800.0])
SHARES = np.array(
    [
        [0.37, 0.06, 0.25, 0.09, 0.06, 0.17],
        [0.54, 0.04, 0.21, 0.056, 0.04, 0.114],
        [0.50, 0.04, 0.30, 0.06, 0.04, 0.06],
    ]
)
# two-level Dirichlet: wines / meat / the rest vary a lot, the rest splits steadily
MAIN_CONCENTRATION, REST_CONCENTRATION = 8.0, 25.0
# share of non-buyers of each product: base + low * exp(-spending / ABSTAIN_SCALE)
ABSTAIN_BASE = np.array([0.0, 0.10, 0.0, 0.09, 0.10, 0.022])
ABSTAIN_LOW = np.array([0.01, 0.32, 0.0, 0.30, 0.32, 0.03])
ABSTAIN_SCALE = 70.0
DEALS_BASE, DEALS_KID, DEALS_TEEN, DEALS_BARGAIN = 0.8, 2.0, 2.4, 0.3
WEB_BARGAIN, VISITS_BARGAIN, VISITS_NOISE = 0.2, 0.9, 1.5

# purchase counts: mean by log total spending (knots at real spending deciles)
SPEND_KNOTS = np.log([20.0, 45, 70, 140, 300, 510, 780, 1_050, 1_350, 1_850])
WEB_MEAN = np.array([0.9, 1.6, 2.05, 2.6, 4.5, 6.0, 6.4, 5.6, 5.9, 5.3])
CATALOG_MEAN = np.array([0.1, 0.18, 0.47, 0.83, 1.47, 2.37, 3.96, 5.14, 5.74, 6.49])
STORE_MEAN = np.array([2.4, 2.95, 3.05, 3.45, 5.0, 6.8, 8.8, 8.9, 8.6, 8.1])
DEALS_SPEND = np.array([0.3, 0.45, 0.55, 0.65, 0.9, 1.1, 1.0, 0.85, 0.8, 0.65])

# campaigns, in the order AcceptedCmp1..5, Response: logit = a + b*spend_z + c*taste
CAMPAIGNS = (
    "AcceptedCmp1",
    "AcceptedCmp2",
    "AcceptedCmp3",
    "AcceptedCmp4",
    "AcceptedCmp5",
)
CAMPAIGN_A = np.array([-5.17, -6.31, -2.86, -3.70, -5.26, -3.03])
CAMPAIGN_B = np.array([2.3, 1.2, 0.0, 1.1, 2.6, 0.75])
CAMPAIGN_C = np.array([1.8, 1.8, 0.9, 1.5, 1.8, 1.4])

COMPLAIN_P = 0.0094


def _counts(
    rng: np.random.Generator, mean: np.ndarray, floor: int, cap: int
) -> np.ndarray:
    """Counts of at least `floor` (real customers buy at least that): floor + Poisson."""
    return np.minimum(floor + rng.poisson(np.maximum(mean - floor, 0.0)), cap)


def _children(rng: np.random.Generator, mean: np.ndarray) -> np.ndarray:
    """0, 1 or 2 children with the given mean; about 5% of parents have two."""
    anyone = rng.random(mean.size) < np.clip(mean / 1.05, 0.0, 0.95)
    two = rng.random(mean.size) < 0.05
    return anyone.astype(np.int64) + (anyone & two)


def draw_demographics(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Birth year, education, marital status and children of n customers."""
    year = np.rint(rng.normal(1968.9, 11.6, n)).astype(np.int64)
    out_of_range = (year < 1940) | (year > 1996)
    year = np.where(out_of_range, rng.integers(1945, 1991, n), year)
    education = rng.choice(len(EDUCATION), n, p=EDUCATION_P)
    marital = rng.choice(len(MARITAL_P), n, p=np.array(MARITAL_P) / sum(MARITAL_P))
    kid_mean = np.interp(
        year, [1940, 1950, 1960, 1970, 1980, 1996], [0.1, 0.2, 0.3, 0.5, 0.6, 0.5]
    )
    teen_mean = np.interp(
        year,
        [1940, 1952, 1958, 1970, 1976, 1982, 1996],
        [0.4, 0.6, 0.8, 0.68, 0.45, 0.05, 0.0],
    )
    kidhome = _children(rng, kid_mean)
    teenhome = _children(rng, teen_mean * np.where(education == 4, 0.2, 1.0))
    teenhome = np.minimum(teenhome, 2 - kidhome // 2)  # no 2 + 2, as in the real file
    return {
        "year": year,
        "education": education,
        "marital": marital,
        "kidhome": kidhome,
        "teenhome": teenhome,
    }


def draw_income(rng: np.random.Generator, people: dict[str, np.ndarray]) -> np.ndarray:
    """Income: Graduation, born 1970, no children earns 62.5k on average."""
    education, year = people["education"], people["year"]
    kidhome, teenhome = people["kidhome"], people["teenhome"]
    edu_income = np.asarray(EDUCATION_INCOME)[education]
    income_mean = 62_500 + edu_income - 115.0 * (year - 1970) - 21_000 * kidhome
    income_mean -= 3_000 * teenhome
    income_sd = np.where(education == 4, 9_000.0, 17_800.0)
    income = income_mean + income_sd * rng.normal(size=year.size)
    too_low = income < 1_730
    income = np.where(too_low, rng.uniform(1_730, 15_000, year.size), income)
    return np.rint(np.minimum(income, 162_000)).astype(np.int64)


def draw_spending(
    rng: np.random.Generator, income: np.ndarray, people: dict[str, np.ndarray]
) -> np.ndarray:
    """Total spending: an S-curve of income (children shift it right), softly capped."""
    n = income.size
    position = income / 1e4 - 3.8 - 1.1 * people["kidhome"] - 0.75 * people["teenhome"]
    position = position / 1.08 + 0.8 * rng.normal(size=n)
    level = 1 / (1 + np.exp(-position))
    raw = np.exp(3.52 + 3.85 * level + (0.35 + 0.45 * (1 - level)) * rng.normal(size=n))
    return np.maximum(raw / (1 + (raw / 2_600) ** 3) ** (1 / 3), 5.0)


def draw_amounts(rng: np.random.Generator, spend: np.ndarray) -> np.ndarray:
    """Amount per product: a Dirichlet split around spending-dependent mean shares."""
    n = spend.size
    spend_log = np.log(spend)
    base = np.column_stack(
        [np.interp(spend_log, SHARE_KNOTS, SHARES[:, j]) for j in range(6)]
    )
    others = [1, 3, 4, 5]  # fruits, fish, sweets, gold
    rest = base[:, others].sum(axis=1)
    main = np.column_stack([base[:, 0], base[:, 2], rest])
    main = rng.gamma(MAIN_CONCENTRATION * main)
    main /= main.sum(axis=1, keepdims=True)
    shares = rng.gamma(REST_CONCENTRATION * base / rest[:, None])
    shares[:, others] *= (main[:, 2] / shares[:, others].sum(axis=1))[:, None]
    shares[:, [0, 2]] = main[:, :2]
    none_p = ABSTAIN_BASE + np.outer(np.exp(-spend / ABSTAIN_SCALE), ABSTAIN_LOW)
    shares[rng.random((n, 6)) < none_p] = 0.0
    shares /= shares.sum(axis=1, keepdims=True)
    return np.minimum(np.rint(shares * spend[:, None]).astype(np.int64), PRODUCT_MAX)


def draw_purchases(
    rng: np.random.Generator,
    spend_log: np.ndarray,
    income: np.ndarray,
    people: dict[str, np.ndarray],
) -> dict[str, np.ndarray]:
    """Purchase channels follow spending; deals and web visits follow children and a
    shared appetite for bargains."""
    n, kidhome, teenhome = income.size, people["kidhome"], people["teenhome"]
    bargain = rng.normal(size=n)
    web_mean = np.interp(spend_log, SPEND_KNOTS, WEB_MEAN)
    web_mean *= np.exp(WEB_BARGAIN * bargain)
    web = _counts(rng, web_mean, 1, 11)
    catalog = _counts(rng, np.interp(spend_log, SPEND_KNOTS, CATALOG_MEAN), 0, 11)
    store = _counts(rng, np.interp(spend_log, SPEND_KNOTS, STORE_MEAN), 2, 13)
    deals_mean = DEALS_BASE + (DEALS_KID * kidhome + DEALS_TEEN * teenhome) * np.interp(
        spend_log, SPEND_KNOTS, DEALS_SPEND
    )
    deals = _counts(rng, deals_mean * np.exp(DEALS_BARGAIN * bargain), 1, 15)
    rare_zero = rng.random((n, 3)) < np.array([0.02, 0.003, 0.006])
    web[rare_zero[:, 0]] = 0
    deals[rare_zero[:, 0] & (income > 70_000)] = 0
    store[rare_zero[:, 1]] = 0
    store[rare_zero[:, 2]] = 1
    visits_mean = 8.0 - 0.647e-4 * income + 0.71 * kidhome + 0.7 * teenhome
    visits = np.rint(
        visits_mean + VISITS_BARGAIN * bargain + VISITS_NOISE * rng.normal(size=n)
    )
    visits = np.clip(visits, 0, 10).astype(np.int64)
    return {
        "web": web,
        "catalog": catalog,
        "store": store,
        "deals": deals,
        "visits": visits,
    }


def draw_campaigns(
    rng: np.random.Generator, spend_log: np.ndarray, people: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """Enrolment day, recency, campaigns accepted (a shared taste for offers plus
    spending) and complaints."""
    n = spend_log.size
    day = rng.integers(0, DAYS, n)
    recency = rng.integers(0, 100, n)
    taste = rng.normal(size=n)
    spend_z = (spend_log - 5.75) / 1.25
    logits = CAMPAIGN_A + np.outer(spend_z, CAMPAIGN_B) + np.outer(taste, CAMPAIGN_C)
    logits[:, 5] += (
        -0.028 * (recency - 49.5)
        - 1.7 * (day / DAYS - 0.5)
        + np.asarray(EDUCATION_RESPONSE)[people["education"]]
        + np.asarray(MARITAL_RESPONSE)[people["marital"]]
    )
    accepted = (rng.random((n, 6)) < 1 / (1 + np.exp(-logits))).astype(np.int64)
    complain = (rng.random(n) < COMPLAIN_P).astype(np.int64)
    return {"day": day, "recency": recency, "accepted": accepted, "complain": complain}
