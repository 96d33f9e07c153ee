"""The dataset: schema, loading, validation and queries. Pure pandas; no Streamlit here."""

from components.dataset.model import DATA_DIR_ENV, Dataset, DatasetError, load_dataset, resolve_data_dir
from components.dataset.reading import Problem
from components.dataset.validate import check_dataset

__all__ = ["DATA_DIR_ENV", "Dataset", "DatasetError", "Problem", "check_dataset", "load_dataset", "resolve_data_dir"]
