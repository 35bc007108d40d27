/*
** synth.h — (being written)
*/
#ifndef GAPKIT_SYNTH_H
#define GAPKIT_SYNTH_H

#include "matrix.h"

#endif
