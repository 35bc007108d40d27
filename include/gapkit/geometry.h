/*
** geometry.h — (being written)
*/
#ifndef GAPKIT_GEOMETRY_H
#define GAPKIT_GEOMETRY_H

#include "matrix.h"

#endif
