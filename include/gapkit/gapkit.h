/*
** gapkit.h — the whole public API of libgapkit.
**
** gapkit measures, explains and closes the modality gap of paired embeddings
** (CLAP audio–text, CLIP image–text, any views of the same items).  Each
** module has one header; this one includes them all.  What is not declared in
** these headers is not public.
*/
#ifndef GAPKIT_H
#define GAPKIT_H

#include "core.h"
#include "matrix.h"
#include "io.h"
#include "linalg.h"
#include "knn.h"
#include "learn.h"
#include "curate.h"
#include "train.h"
#include "gap.h"
#include "comet.h"
#include "align.h"
#include "retrieval.h"
#include "zeroshot.h"
#include "split.h"
#include "eval.h"
#include "cluster.h"
#include "group.h"
#include "compare.h"
#include "analogy.h"
#include "synth.h"
#include "cka.h"
#include "nngs.h"
#include "report.h"
#include "stats.h"
#include "analyze.h"
#include "leakage.h"
#include "dist.h"

#endif
