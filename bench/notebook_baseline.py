"""The notebook pipeline this project replaces, as a script, for `make bench`.

pandas + scikit-learn + mlxtend, as the Kaggle notebooks do it: read the file, clean
(drop missing incomes, incomes above 600,000, ages above 100), derive (age, spending,
seniority, groups), bin (cut/qcut), a 4-component GMM and a 4-cluster K-Means on
standardized income, seniority and spending, then Apriori and association rules on a
dense one-hot of the attribute bins. Prints the step times as JSON on the last line.
"""

from __future__ import annotations

import json
import sys
import time

import numpy as np
import pandas as pd
from mlxtend.frequent_patterns import apriori, association_rules
from sklearn.cluster import KMeans
from sklearn.mixture import GaussianMixture
from sklearn.preprocessing import StandardScaler

PRODUCTS = {
    "wines": "MntWines",
    "fruits": "MntFruits",
    "meat": "MntMeatProducts",
    "fish": "MntFishProducts",
    "sweets": "MntSweetProducts",
    "gold": "MntGoldProds",
}


def product_segment(amounts: pd.Series) -> pd.Series:
    positive = amounts[amounts > 0]
    low, high = positive.quantile(0.25), positive.quantile(0.75)
    labels = np.select(
        [amounts == 0, amounts <= low, amounts <= high],
        ["Non consumer", "Low consumer", "Frequent consumer"],
        "Biggest consumer",
    )
    return pd.Series(labels, index=amounts.index)


def main(path: str) -> None:
    times: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        times[name] = now - clock
        clock = now

    sep = "\t" if path.endswith((".tsv", ".csv")) else ","
    data = pd.read_csv(path, sep=sep)
    lap("read")
    data["Dt_Customer"] = pd.to_datetime(data["Dt_Customer"], format="%d-%m-%Y")
    reference = data["Dt_Customer"].max()
    data["Age"] = reference.year - data["Year_Birth"]
    data = data.dropna(subset=["Income"])
    data = data[(data["Income"] <= 600_000) & (data["Age"] <= 100)].copy()
    data["Spending"] = data[list(PRODUCTS.values())].sum(axis=1)
    data["Seniority"] = (reference - data["Dt_Customer"]).dt.days / 30
    data["Marital_Group"] = np.where(
        data["Marital_Status"].isin(["Married", "Together"]), "In couple", "Alone"
    )
    data["Children"] = data["Kidhome"] + data["Teenhome"]
    data["Has_child"] = np.where(data["Children"] > 0, "Has child", "No child")
    data["Education_Level"] = data["Education"].replace(
        {
            "Basic": "Undergraduate",
            "2n Cycle": "Undergraduate",
            "Graduation": "Graduate",
            "Master": "Postgraduate",
            "PhD": "Postgraduate",
        }
    )
    lap("clean_derive")
    data["Age_group"] = pd.cut(
        data["Age"],
        bins=[0, 30, 45, 65, 200],
        labels=["Young", "Adult", "Mature", "Senior"],
    )
    data["Income_group"] = pd.qcut(
        data["Income"], 4, labels=["Low", "Low to medium", "Medium to high", "High"]
    )
    data["Seniority_group"] = pd.qcut(
        data["Seniority"], 4, labels=["New", "Discovering", "Experienced", "Old"]
    )
    for product, column in PRODUCTS.items():
        data[f"{product}_segment"] = product_segment(data[column])
    lap("bin")
    features = StandardScaler().fit_transform(data[["Income", "Seniority", "Spending"]])
    data["gmm"] = GaussianMixture(n_components=4, random_state=42).fit_predict(features)
    lap("gmm")
    data["kmeans"] = KMeans(n_clusters=4, n_init=10, random_state=42).fit_predict(
        features
    )
    lap("kmeans")
    columns = [
        "Education_Level",
        "Marital_Group",
        "Has_child",
        "Age_group",
        "Income_group",
        "Seniority_group",
        *[f"{product}_segment" for product in PRODUCTS],
    ]
    onehot = pd.get_dummies(data[columns].astype(str)).astype(bool)
    itemsets = apriori(onehot, min_support=0.08, use_colnames=True)
    rules = association_rules(
        itemsets, num_itemsets=len(onehot), metric="lift", min_threshold=1
    )
    lap("apriori_rules")
    times["total"] = sum(times.values())
    times["customers"] = len(data)
    times["rules"] = len(rules)
    print(json.dumps(times))


if __name__ == "__main__":
    main(sys.argv[1])
