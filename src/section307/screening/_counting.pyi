from collections.abc import Sequence

import numpy as np

def top_shared(postings: Sequence[np.ndarray], need: int, k: int, /) -> list[int]: ...
