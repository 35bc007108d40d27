/*
** linalg.h — (being written)
*/
#ifndef GAPKIT_LINALG_H
#define GAPKIT_LINALG_H

#include "matrix.h"

#endif
