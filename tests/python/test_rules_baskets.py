"""customer_personality.rules.baskets: the one-hot basket of each customer, as a sparse
matrix and as the frame mlxtend mines."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from mlxtend.frequent_patterns import apriori

from customer_personality.rules import basket_frame, basket_matrix


def test_basket_matrix_hand_made() -> None:
    ids = np.array([30, 10, 10, 20, 30, 10, 30])
    items = np.array(["b=1", "c=0", "a=1", "b=1", "a=0", "c=0", "c=1"], dtype=object)
    matrix, names = basket_matrix(ids, items)
    assert names.tolist() == ["a=0", "a=1", "b=1", "c=0", "c=1"]
    assert matrix.dtype == bool
    expected = np.array(
        [
            [0, 1, 0, 1, 0],  # customer 10 (c=0 twice counts once)
            [0, 0, 1, 0, 0],  # customer 20
            [1, 0, 1, 0, 1],  # customer 30
        ],
        dtype=bool,
    )
    np.testing.assert_array_equal(matrix.toarray(), expected)

    arrow_matrix, arrow_names = basket_matrix(pa.array(ids), pa.array(items.tolist()))
    np.testing.assert_array_equal(arrow_matrix.toarray(), expected)
    assert arrow_names.tolist() == names.tolist()

    frame = basket_frame(ids, items)
    assert frame.index.tolist() == [10, 20, 30]
    assert frame.columns.tolist() == names.tolist()
    assert all(dtype == np.bool_ for dtype in frame.dtypes)
    np.testing.assert_array_equal(frame.to_numpy(), expected)
    sparse = basket_frame(ids, items, sparse=True)
    assert hasattr(sparse, "sparse")
    np.testing.assert_array_equal(sparse.sparse.to_dense().to_numpy(), expected)
    dense_sets = apriori(frame, min_support=0.3, use_colnames=True)
    sparse_sets = apriori(sparse, min_support=0.3, use_colnames=True)
    assert len(dense_sets) == 10  # 5 items, 4 pairs, 1 triple seen in some basket
    assert set(dense_sets["itemsets"]) == set(sparse_sets["itemsets"])
