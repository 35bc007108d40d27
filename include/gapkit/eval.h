/*
** eval.h — (being written)
*/
#ifndef GAPKIT_EVAL_H
#define GAPKIT_EVAL_H

#include "matrix.h"

#endif
