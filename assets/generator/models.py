"""Train the two intent-model versions for real and predict the golden set with each.

- **v1** (the launch model): word unigrams, TF-IDF + logistic regression, trained on the tickets
  labelled in January-June 2025. It has never seen ``membership_pause`` (launched in July).
- **v2** (the update): word 1-2-grams plus character 2-5-grams, trained on January-September 2025.

``confidence`` is the model's top class probability after a temperature (``TEMPERATURE``) is
applied to its log-probabilities. A temperature below 1 sharpens the probabilities; it stands in
for the over-confidence of a vendor model. The probabilities still come from the trained model.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

V1_TRAIN = ("2025-01-01", "2025-07-01")
V2_TRAIN = ("2025-01-01", "2025-10-01")
TEMPERATURE = {"v1": 0.70, "v2": 0.65}


def make_v1() -> Pipeline:
    """v1: word unigrams, TF-IDF, logistic regression."""
    return Pipeline([
        ("tfidf", TfidfVectorizer(lowercase=True, ngram_range=(1, 1), min_df=2, sublinear_tf=True)),
        ("clf", LogisticRegression(C=4.0, max_iter=2000)),
    ])


def make_v2() -> Pipeline:
    """v2: word 1-2-grams plus character 2-5-grams (robust to typos), logistic regression."""
    features = FeatureUnion([
        ("word", TfidfVectorizer(lowercase=True, ngram_range=(1, 2), min_df=2, sublinear_tf=True)),
        ("char", TfidfVectorizer(lowercase=True, analyzer="char_wb", ngram_range=(2, 5), min_df=3,
                                 sublinear_tf=True, max_features=60000)),
    ])
    return Pipeline([("features", features), ("clf", LogisticRegression(C=8.0, max_iter=3000))])


def tempered(proba: np.ndarray, temperature: float) -> np.ndarray:
    """Apply a temperature to class probabilities: softmax(log p / T)."""
    logits = np.log(np.clip(proba, 1e-12, 1.0)) / temperature
    logits -= logits.max(axis=1, keepdims=True)
    e = np.exp(logits)
    return e / e.sum(axis=1, keepdims=True)


def _train_window(tickets: pd.DataFrame, window: tuple[str, str]) -> pd.DataFrame:
    created = tickets["created_at"].str.slice(0, 10)
    return tickets[(created >= window[0]) & (created < window[1])]


def build_predictions(seed: int, tickets: pd.DataFrame, gold: pd.DataFrame):
    """Train v1 and v2 on ticket labels and predict every golden case; return both tables and info."""
    out = {}
    info = {}
    for version, factory, window in (("v1", make_v1, V1_TRAIN), ("v2", make_v2, V2_TRAIN)):
        train = _train_window(tickets, window)
        model = factory()
        model.fit(train["text"].tolist(), train["intent"].tolist())
        proba = tempered(model.predict_proba(gold["text"].tolist()), TEMPERATURE[version])
        classes = model.classes_
        best = proba.argmax(axis=1)
        out[version] = pd.DataFrame({
            "case_id": gold["case_id"].to_numpy(),
            "predicted_intent": classes[best],
            "confidence": [f"{p:.4f}" for p in proba[np.arange(len(best)), best]],
        })
        info[version] = {"n_train": len(train), "classes": list(classes), "window": window}
    return out["v1"], out["v2"], info
