"""The teacher's sentence embeddings as a second target of the student? A validation-split
study.

The student learns from the teacher's class probabilities: one number per text at 2
classes. The teacher's pooled sentence vector (what its classification layer reads, 384
numbers for MiniLM) says much more about each text. model2vec's tokenlearn trains static
word vectors to regress a sentence encoder's embeddings; here the student's word vectors
start from the teacher's (as by default) and are trained, with a projection of the bag
onto the teacher's pooled vector as a second loss beside the soft cross-entropy. The
projection is dropped after training: the student keeps its shape and speed.

For one labeled sample this fits the defaults (teacher and samples cached in
``--memory``; no guard, as ``sample_count.py`` fits them, so that its cache is reused),
takes the first 2,000 samples' kept texts and the labeled texts as the transfer set, and
trains the default student's network (one fit, 3 seeds, prior shifted as ``fit`` does)
with the settings below in one training loop (Adam, batch 64, early stopping on 10% of the
texts held out, patience 3). Scores on 1,000 other pool texts, or the dev set with
``--validation dev``. Appends rows to ``student_embedding_targets.csv``::

    python benchmarks/student_embedding_targets.py --data-dir ../shared/data \\
        --dataset sst2 --k 100 --seed 0 --validation dev --memory /tmp/gd_cache
"""

import copy
from pathlib import Path

import numpy as np
import torch
from _results import (  # benchmarks/_results.py
    append_row,
    fitted_defaults,
    one_sample_study_arguments,
    transfer_set,
)
from sklearn.base import clone
from torch import nn

from sklearn_gd import EncoderWordVectors
from sklearn_gd._classifier import default_student
from sklearn_gd.prior import prior_ratio

SETTINGS = {  # name: (word vectors trained, weight of the embedding loss)
    "fixed vectors (default's network)": (False, 0.0),
    "trained vectors": (True, 0.0),
    "trained vectors + embedding loss 1": (True, 1.0),
    "trained vectors + embedding loss 10": (True, 10.0),
}

args = one_sample_study_arguments(__doc__, add_arguments=lambda parser: parser.add_argument(
    "--n-generated", type=int, default=8000,
    help="samples of the cached fit (default 8000, sample_count.py's); the first 2,000 "
    "samples' kept texts are used"))
(X, y, X_valid, y_valid), clf = fitted_defaults(args, n_generated=args.n_generated,
                                                baselines={})
classes, kept = clf.classes_, list(clf.generated_texts_)
_, all_targets = transfer_set(clf, X, y)
n_kept = round(len(kept) * 2000 / args.n_generated)
rows = np.concatenate([np.arange(n_kept), np.arange(len(kept), len(kept) + len(X))])
texts, targets = kept[:n_kept] + list(X), all_targets[rows]
ratio = prior_ratio(targets, np.searchsorted(classes, y), len(classes))


@torch.inference_mode()
def pooled(teacher, texts, batch_size=64):
    """The teacher's pooled vector of each text: what its classification layer reads."""
    model, tokenizer = teacher.net_.module_.model.eval(), teacher.tokenizer_
    out = []
    for start in range(0, len(texts), batch_size):
        encoded = tokenizer(texts[start:start + batch_size], padding=True, truncation=True,
                            max_length=teacher.max_length, return_tensors="pt")
        base = model.base_model(**encoded)
        out.append(base.pooler_output if getattr(base, "pooler_output", None) is not None
                   else base.last_hidden_state[:, 0])
    return torch.cat(out).float().numpy()


embeddings = pooled(clf.teacher_, texts)
embeddings = (embeddings - embeddings.mean(0)) / max(embeddings.std(), 1e-12)
vectors = EncoderWordVectors(clf.teacher_)
teacher_accuracy = float(np.mean(clf.teacher_.predict(X_valid) == y_valid))


def train(student, trained_vectors, weight, seed, epochs=50, patience=3, lr=1e-2):
    """Retrain ``student``'s network (fitted once, for its vocabulary and fixed vectors)
    from a fresh start in this loop."""
    module = student._make_net().initialize().module_
    fixed = student.net_.module_.embedding.weight.detach().clone()
    with torch.no_grad():
        module.embedding.weight.copy_(fixed)
    module.embedding.weight.requires_grad_(trained_vectors)
    projection = nn.Linear(fixed.shape[1], embeddings.shape[1])
    inputs = student.encode(texts)
    ids, weights = torch.as_tensor(inputs["input_ids"]), torch.as_tensor(inputs["weights"])
    soft, dense = torch.as_tensor(targets), torch.as_tensor(embeddings)
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(texts))
    held, train_rows = order[: len(texts) // 10], order[len(texts) // 10:]
    params = [p for p in [*module.parameters(), *projection.parameters()] if p.requires_grad]
    optimizer = torch.optim.Adam(params, lr=lr)

    def losses(batch):
        bag = module.embedding(ids[batch], per_sample_weights=weights[batch])
        logits = module.output(module.dropout(bag))
        if module.word_scores is not None:
            logits = logits + module.word_scores(ids[batch], per_sample_weights=weights[batch])
        ce = -(soft[batch] * logits.log_softmax(-1)).sum(-1).mean()
        mse = ((projection(bag) - dense[batch]) ** 2).mean()
        return ce, mse

    best, best_state, waited = np.inf, None, 0
    torch.manual_seed(seed)
    for _ in range(epochs):
        module.train()
        shuffled = rng.permutation(train_rows)
        for start in range(0, len(shuffled), 64):
            batch = torch.as_tensor(shuffled[start:start + 64])
            ce, mse = losses(batch)
            optimizer.zero_grad()
            (ce + weight * mse).backward()
            optimizer.step()
        module.eval()
        with torch.no_grad():
            valid = float(losses(torch.as_tensor(held))[0])  # agreement with the teacher
        if valid < best - 1e-6:
            best, waited = valid, 0
            best_state = {k: v.clone() for k, v in module.state_dict().items()}
        else:
            waited += 1
            if waited >= patience:
                break
    module.load_state_dict(best_state)
    student.net_.module_ = module.eval()


def accuracy(student):
    return float(np.mean(classes[student.predict_proba(X_valid).argmax(1)] == y_valid))


results = {name: [] for name in ["default student (its own fit, n_averaged=1)", *SETTINGS]}
for seed in range(3):
    student = clone(default_student()).set_params(word_vectors=vectors, n_averaged=1,
                                                  random_state=seed)
    student.fit(texts, targets)  # also the vocabulary, TF-IDF weights, fixed vectors
    fitted = student.net_.module_
    results["default student (its own fit, n_averaged=1)"].append(
        accuracy(copy.deepcopy(student).shift_prior(ratio)))
    for setting, (trained_vectors, weight) in SETTINGS.items():
        student.net_.module_ = fitted  # its fixed vectors are the start
        train(student, trained_vectors, weight, seed)
        results[setting].append(accuracy(student.shift_prior(ratio)))
for setting, scores in results.items():
    append_row(Path(args.out) / "student_embedding_targets.csv", {
        "dataset": args.dataset, "k": args.k, "seed": args.seed,
        "validation": args.validation, "setting": setting, "transfer_texts": len(texts),
        "student_valid_accuracy": round(float(np.mean(scores)), 4),
        "std": round(float(np.std(scores)), 4),
        "teacher_valid_accuracy": round(teacher_accuracy, 4),
    })
