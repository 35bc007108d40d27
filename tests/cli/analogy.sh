#!/usr/bin/env bash
# analogy.sh — `gapkit eval analogy` and `gapkit study analogy-nngs`: usage
# errors (exit 1), bad inputs (exit 2, message naming the file and the
# problem), the reference counts on ../shared/data in the JSON document (10032
# / 15276 with 3CosAdd, README of the data; 9704 with 3CosMul,
# tests/reference/analogy_reference.py), the GloVe-text input giving the same
# answers as .npy + --vocab, and the NNGS paper's case study against
# tests/reference/analogy_study_reference.py (numpy/scipy).
set -u
source "$(dirname "$0")/../cli_lib.sh"
VEC="$DATA/glove-6b-100d/vectors.npy"
VOC="$DATA/glove-6b-100d/vocab.txt"
Q="$DATA/analogy/questions-words.txt"

# an / study CODE FRAGMENT ARGS…: cli_lib.sh's expect for `gapkit eval analogy ARGS…`
# and `gapkit study ARGS…`
an() { local c=$1 f=$2; shift 2; expect "$c" "$f" eval analogy "$@"; }
study() { local c=$1 f=$2; shift 2; expect "$c" "$f" study "$@"; }

printf ': s\nman woman king\n' >"$T/short.txt"
printf ': s\n' >"$T/none.txt"
an 0 "3CosMul  argmax_w" --help
an 1 "needs --questions" "$VEC" --vocab "$VOC"
an 1 "expects one input" --vocab "$VOC" --questions "$Q"
an 1 "give its words with --vocab" "$VEC" --questions "$Q"
an 1 "--epsilon -1" "$VEC" --vocab "$VOC" --questions "$Q" --epsilon -1
an 1 "unknown option" "$VEC" --vocab "$VOC" --questions "$Q" --labels x
an 2 "missing.npy" "$T/missing.npy" --vocab "$VOC" --questions "$Q"
an 2 "the vocabulary has 50 words but the vectors have 30000 rows" \
    "$VEC" --vocab "$DATA/esc50-clap/class_names.txt" --questions "$Q"
an 2 "short.txt: line 2: expected 4 words a b c d, found 3" "$VEC" --vocab "$VOC" --questions "$T/short.txt"
an 2 "none.txt: no question found" "$VEC" --vocab "$VOC" --questions "$T/none.txt"
an 2 "$T/nope.txt: cannot open" "$VEC" --vocab "$VOC" --questions "$T/nope.txt"
"$GAPKIT" eval analogy "$VEC" --vocab "$VOC" --questions "$Q" --json >"$T/a.json" || { echo "FAIL: json"; fail=1; }

# the first 5000 words as a GloVe text file, and as .npy + vocabulary
"$PY" - "$T" "$DATA" <<'PYEOF' || fail=1
import json, sys
import numpy as np
t, d = sys.argv[1], sys.argv[2]
a = json.load(open(f"{t}/a.json"))
assert a["n"] == 19544 and a["covered"] == 15276, a
assert a["3cosadd"]["correct"] == 10032 and a["3cosmul"]["correct"] == 9704, a
assert len(a["sections"]) == 14 and a["sections"][2]["name"] == "currency"
assert sum(s["3cosadd"]["correct"] for s in a["sections"]) == 10032
w = np.load(f"{d}/glove-6b-100d/vectors.npy")[:5000]
words = open(f"{d}/glove-6b-100d/vocab.txt").read().split("\n")[:5000]
np.save(f"{t}/w.npy", w)
open(f"{t}/w.txt", "w").write("\n".join(words) + "\n")
with open(f"{t}/glove.txt", "w") as f:
    for word, v in zip(words, w):
        f.write(word + " " + " ".join(repr(float(x)) for x in v) + "\n")
PYEOF
"$GAPKIT" eval analogy "$T/w.npy" --vocab "$T/w.txt" --questions "$Q" --json >"$T/b.json" || fail=1
"$GAPKIT" eval analogy "$T/glove.txt" --questions "$Q" --json >"$T/c.json" || fail=1
cmp -s "$T/b.json" "$T/c.json" || { echo "FAIL: GloVe text and npy + vocab differ"; fail=1; }
"$GAPKIT" eval analogy "$T/w.npy" --vocab "$T/w.txt" --questions "$Q" --json --threads 1 >"$T/b1.json" || fail=1
cmp -s "$T/b.json" "$T/b1.json" || { echo "FAIL: answers depend on the thread count"; fail=1; }
an 0 "  total                            19544" "$T/w.npy" --vocab "$T/w.txt" --questions "$Q"

# the NNGS paper's case study
printf ': a\nx y z w\n: b\nman woman king queen\n' >"$T/tiny.txt"
study 0 "usage: gapkit study analogy-nngs" --help
study 0 "Pearson and Spearman" analogy-nngs --help
study 1 "usage: gapkit study"
study 1 "unknown study 'glove'" glove "$VEC"
study 1 "needs --questions" analogy-nngs "$VEC" --vocab "$VOC"
study 1 "--k zero" analogy-nngs "$VEC" --vocab "$VOC" --questions "$Q" --k zero
study 1 "--distance hamming" analogy-nngs "$VEC" --vocab "$VOC" --questions "$Q" --distance hamming
study 1 "give its words with --vocab" analogy-nngs "$VEC" --questions "$Q"
study 2 "missing.npy" analogy-nngs "$T/missing.npy" --vocab "$VOC" --questions "$Q"
study 2 "at least 3 are needed" analogy-nngs "$VEC" --vocab "$VOC" --questions "$T/tiny.txt"
head -n 5899 "$Q" >"$T/head.txt"  # the first three sections
study 0 "across 3 sections:" analogy-nngs "$VEC" --vocab "$VOC" --questions "$T/head.txt"

"$GAPKIT" study analogy-nngs "$VEC" --vocab "$VOC" --questions "$Q" --json >"$T/s.json" || { echo "FAIL: json"; fail=1; }
"$PY" - "$T/s.json" <<'PYEOF' || fail=1
import json, sys
s = json.load(open(sys.argv[1]))
assert s["task"] == "analogy-nngs-study" and s["distance"] == "euclidean" and s["k"] == 0.2, s
assert s["n_used"] == 14 and len(s["sections"]) == 14
fam = s["sections"][4]
assert fam["name"] == "family" and fam["pairs"] == 20 and fam["k"] == 3, fam
assert abs(fam["nngs_raw"] - 0.66) < 1e-9 and abs(fam["cka"] - 0.9247009809) < 1e-6, fam
c = {(x["measure"], x["accuracy"]): x for x in s["correlations"]}
assert abs(c["nngs_raw", "3cosadd"]["pearson"] - 0.8489438063) < 1e-6, c
assert abs(c["cka-linear", "3cosadd"]["pearson"] - 0.6706679293) < 1e-6, c
assert abs(c["cka-linear", "3cosadd"]["spearman_p"] - 0.0004911128962) < 1e-9, c
PYEOF
exit $fail
