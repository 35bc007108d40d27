/*
** model_file_internal.h — the container every fitted model is saved in
** (docs/model-format.md): written and read by the align and COMET modules,
** never by a library user, who saves and loads whole models
** (gk_align_save/gk_align_load, gk_comet_save/gk_comet_load).  Not installed.
*/
#ifndef GAPKIT_MODEL_FILE_INTERNAL_H
#define GAPKIT_MODEL_FILE_INTERNAL_H

#include <jansson.h>

#include "gapkit/io.h"

/*====  model files (docs/model-format.md)  ====*/
/* Every fitted model (COMET, alignment transforms) is one container: an .npz
** of float32 arrays plus a member header.json that starts with
** {"format":"gapkit-model","version":1,"kind":KIND}; the other header members
** belong to the kind. */
#define GK_MODEL_FORMAT "gapkit-model"
#define GK_MODEL_VERSION 1

/*! gk_model_write() : writes a model file atomically (as gk_npz_write()):
 *  the arrays e[0..count) and header.json = {format, version, kind, then the
 *  members of `fields`}.  fields (may be NULL) is the text of a JSON object
 *  that must not redefine format, version or kind.
 *  @return : GK_OK, GK_EARG (fields not such an object), GK_ENOMEM, GK_EIO. */
int gk_model_write(const char *path, const char *kind, const char *fields,
                   const gk_npz_entry *e, int count);

/*! gk_model_header() : checks the container of a model file (header.json is
 *  JSON with format "gapkit-model", version 1 and a string kind) and copies
 *  the kind into kind[0..cap).  *hdr (if hdr != NULL) receives the parsed
 *  header: caller releases it with json_decref().  *n_floats (may be NULL)
 *  receives the file size in floats, an upper bound on what its arrays can
 *  hold, so a loader can refuse a header that declares more before it
 *  allocates.  @return : GK_OK, GK_EIO, GK_EFORMAT naming the file and the
 *  problem. */
int gk_model_header(const char *path, char *kind, size_t cap, json_t **hdr, uint64_t *n_floats);

/*! gk_model_read_array() : member `name` of a model file, checked to be
 *  (rows, cols), copied row-major into dst (rows·cols floats, caller's).
 *  @return : GK_OK, GK_EIO, GK_EFORMAT (missing member or other shape). */
int gk_model_read_array(const char *path, const char *name, int64_t rows, int64_t cols,
                        float *dst);
/*! gk_model_read_array_mem() : as gk_model_read_array() on a model file held in
 *  memory (buf[0..len), only read); `file` names it in messages. */
int gk_model_read_array_mem(const void *buf, size_t len, const char *file, const char *name,
                            int64_t rows, int64_t cols, float *dst);

#endif
