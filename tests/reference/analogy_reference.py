#!/usr/bin/python3
"""Reference counts for tests/test_eval_analogy.c and tests/cli/analogy.sh:
3CosAdd and 3CosMul (Levy & Goldberg 2014, cosines shifted to [0,1],
eps = 0.001) on ../shared/data/glove-6b-100d with the Google analogy questions,
in float64 numpy.

Run from the repository root:  /usr/bin/python3 tests/reference/analogy_reference.py
Questions are lower-cased; a, b, c are excluded from the answers; only
questions with all four words in the vocabulary count.  Also prints, per
rule, how many questions are decided by a margin below 1e-5 (a float32
implementation could answer those differently), and the per-section counts.
"""
import numpy as np

D = "../shared/data"
EPS = 0.001


def main():
    W = np.load(f"{D}/glove-6b-100d/vectors.npy").astype(np.float64)
    vocab = open(f"{D}/glove-6b-100d/vocab.txt", encoding="utf-8").read().split("\n")
    vocab = vocab[: W.shape[0]]
    row = {}
    for i, w in enumerate(vocab):
        row.setdefault(w, i)
    W /= np.linalg.norm(W, axis=1, keepdims=True)
    sections, questions = [], []
    for line in open(f"{D}/analogy/questions-words.txt", encoding="utf-8"):
        if line.startswith(":"):
            sections.append(line[1:].strip())
        elif line.strip():
            questions.append((len(sections) - 1, line.lower().split()))
    cov = [(s, [row[w] for w in q]) for s, q in questions if all(w in row for w in q)]
    sec = np.array([s for s, _ in cov])
    Q = np.array([r for _, r in cov])
    add_ok = np.zeros(len(Q), bool)
    mul_ok = np.zeros(len(Q), bool)
    close = [0, 0]
    for s0 in range(0, len(Q), 500):
        q = Q[s0:s0 + 500]
        sa, sb, sc = W[q[:, 0]] @ W.T, W[q[:, 1]] @ W.T, W[q[:, 2]] @ W.T
        scores = [sb - sa + sc, ((sb + 1) / 2) * ((sc + 1) / 2) / ((sa + 1) / 2 + EPS)]
        r = np.arange(len(q))
        for k, sco in enumerate(scores):
            for j in range(3):
                sco[r, q[:, j]] = -np.inf
            top2 = np.sort(sco, axis=1)[:, -2:]
            close[k] += int(np.sum(top2[:, 1] - top2[:, 0] < 1e-5))
            ok = sco.argmax(1) == q[:, 3]
            (add_ok if k == 0 else mul_ok)[s0:s0 + 500] = ok
    print(f"questions {len(questions)}, covered {len(Q)}")
    print(f"3CosAdd correct {add_ok.sum()} ({100 * add_ok.mean():.2f} %), "
          f"margin < 1e-5: {close[0]}")
    print(f"3CosMul correct {mul_ok.sum()} ({100 * mul_ok.mean():.2f} %), "
          f"margin < 1e-5: {close[1]}")
    for k, name in enumerate(sections):
        n = sum(1 for s, _ in questions if s == k)
        m = sec == k
        print(f"  {name:28s} n {n:5d} covered {m.sum():5d} "
              f"3CosAdd {add_ok[m].sum():5d} 3CosMul {mul_ok[m].sum():5d}")


if __name__ == "__main__":
    main()
