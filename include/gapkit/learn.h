/*
** learn.h — (being written)
*/
#ifndef GAPKIT_LEARN_H
#define GAPKIT_LEARN_H

#include "matrix.h"

#endif
