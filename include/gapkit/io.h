/*
** io.h — reading embeddings, vocabularies and labels; writing arrays and
** model archives atomically.
**
** Input "specs" name a file and optionally a part of it after a colon:
**   emb.npy            an (N,D) array
**   feats.npy:0        view 0 of an (M,N,D) array
**   arrays.npz:text    member "text" (or "text.npy") of an .npz archive
**   glove.txt          GloVe / word2vec text vectors (vocabulary kept)
**   vectors.bin        word2vec binary vectors
**   labels.txt         one label per line
**   meta.csv:class     column "class" of a CSV file with a header row
** A colon is read as a selector only when the part before it names an
** existing file, so paths with colons still work.
**
** Every error message starts with the file name and says what was expected.
*/
#ifndef GAPKIT_IO_H
#define GAPKIT_IO_H

#include <stdio.h>

#include "matrix.h"

#ifdef __cplusplus
extern "C" {
#endif
GK_API_BEGIN

/*====  embeddings  ====*/

typedef struct gk_load_opts {
    int normalize;       /* 1: L2-normalise every row (the default for cosine measures) */
    int allow_mmap;      /* 1: memory-map little-endian float32 C-order .npy (default) */
    int allow_nonfinite; /* 1: keep NaN/Inf instead of failing (for inspection); default 0 */
} gk_load_opts;

/*! gk_load_opts_default() : @return : {normalize = 1, allow_mmap = 1, allow_nonfinite = 0}. */
gk_load_opts gk_load_opts_default(void);

/* How an array was stored on disk, as found by gk_load_matrix_ex(). */
typedef struct gk_array_info {
    char format[16];     /* "npy", "npz", "glove-text", "word2vec-text", "word2vec-binary" */
    char dtype[16];      /* "float16", "float32" or "float64" */
    char byte_order[8];  /* "little", "big" */
    int fortran_order;   /* 1: column-major on disk (reordered on load) */
    int mmapped;         /* 1: the matrix is a copy-on-write memory map of the file */
    int ndim;            /* 2, or 3 for an (M,N,D) array read through a selector */
    int64_t shape[3];    /* shape on disk; shape[2] unused when ndim == 2 */
    int64_t view;        /* selected view of a 3-D array, else -1 */
} gk_array_info;

/*! gk_load_matrix() : reads the embeddings named by `spec` (see above) as an
 *  (N,D) float32 matrix.  float64 and float16 are converted; big-endian and
 *  Fortran-order arrays are reordered; a little-endian float32 C-order .npy
 *  is memory-mapped (copy-on-write) rather than read.  Every element is
 *  checked for NaN/Inf and, with opts->normalize, every row is normalised.
 *  @return : GK_OK; GK_EIO, GK_EFORMAT, GK_ESHAPE (e.g. zero rows), GK_ENUMERIC
 *  (NaN, Inf or a zero row; the message names the row).  *out: caller owns,
 *  free with gk_mat_free(); NULL on failure. */
int gk_load_matrix(const char *spec, const gk_load_opts *opts, gk_mat **out);

/*! gk_load_matrix_ex() : as gk_load_matrix(), and fills *info (if not NULL)
 *  with the on-disk description of the array.  opts may be NULL (defaults). */
int gk_load_matrix_ex(const char *spec, const gk_load_opts *opts, gk_mat **out,
                      gk_array_info *info);

/*! gk_npy_read_mem() : parses a whole .npy file held in memory (no mmap), with an
 *  optional view selector ("0" for (M,N,D) arrays, NULL otherwise).  For
 *  tests and fuzzing.  `name` is used in messages.  No normalisation, but
 *  NaN/Inf are reported as GK_ENUMERIC.  *out: caller owns. */
int gk_npy_read_mem(const void *buf, size_t len, const char *selector, const char *name,
                    gk_mat **out);

/*! gk_npy_write() : writes `m` as a float32 little-endian C-order .npy
 *  (version 1.0) atomically: to a temporary name in the same directory, then
 *  renamed.  On failure nothing is left behind and an existing file is kept. */
int gk_npy_write(const char *path, const gk_mat *m);

/*! gk_npy_write_f64() : as gk_npy_write() for a row-major (rows, cols) array of doubles. */
int gk_npy_write_f64(const char *path, const double *data, int64_t rows, int64_t cols);

/* Writing a large float32 .npy block by block (memory: one block, not the
** array), with the atomicity of gk_npy_write(): open with the final shape,
** append the rows in order, then commit (fsync, rename) or abort. */
typedef struct gk_npy_stream gk_npy_stream;

/*! gk_npy_stream_open() : starts `path` as a (rows, cols) float32 .npy.
 *  @return : GK_OK, GK_EARG, GK_EIO.  *out : finish with commit or abort. */
int gk_npy_stream_open(const char *path, int64_t rows, int64_t cols, gk_npy_stream **out);

/*! gk_npy_stream_write() : appends the rows of block (R, cols), any strides,
 *  as little-endian float32.  @return : GK_OK, GK_ESHAPE (cols, or more rows
 *  than announced), GK_EIO. */
int gk_npy_stream_write(gk_npy_stream *s, const gk_mat *block);

/*! gk_npy_stream_commit() : checks every announced row was written, then
 *  renames into place; frees s.  @return : GK_OK, GK_ESHAPE, GK_EIO. */
int gk_npy_stream_commit(gk_npy_stream *s);

/*! gk_npy_stream_abort() : removes the temporary file, frees s; NULL is a no-op. */
void gk_npy_stream_abort(gk_npy_stream *s);

/*====  .npz archives (zip of .npy members) ====*/

/*! gk_npz_read() : member `member` (with or without ".npy") of the archive,
 *  stored or deflated; member == NULL picks the only array of a one-array
 *  archive.  Zip64 archives are rejected (GK_EFORMAT).  *out: caller owns.
 *  Same checks as gk_load_matrix() without normalisation. */
int gk_npz_read(const char *path, const char *member, gk_mat **out);

/*! gk_npz_read_text() : the raw bytes of a non-array member (e.g. a JSON
 *  header), NUL-terminated.  *out: caller frees with gk_free(). */
int gk_npz_read_text(const char *path, const char *member, char **out);

/*! gk_npz_read_mem() : as gk_npz_read() on an archive held in memory (fuzzing). */
int gk_npz_read_mem(const void *buf, size_t len, const char *member, const char *name,
                    gk_mat **out);
/*! gk_npz_read_text_mem() : as gk_npz_read_text() on an archive held in memory. */
int gk_npz_read_text_mem(const void *buf, size_t len, const char *member, const char *name,
                         char **out);

typedef struct gk_npz_entry {
    const char *name;  /* member name without ".npy" */
    const gk_mat *mat; /* written as float32 (N,D) */
} gk_npz_entry;

/*! gk_npz_write() : writes an uncompressed .npz (numpy.load reads it) with
 *  the given arrays, plus, if json != NULL, a member "header.json" holding it.
 *  Atomic like gk_npy_write(). */
int gk_npz_write(const char *path, const gk_npz_entry *entries, int count, const char *json);

/*====  word vectors with a vocabulary  ====*/

typedef struct gk_vocab {
    int64_t n;   /* number of words */
    char **word; /* (N,) NUL-terminated strings */
} gk_vocab;

/*! gk_wordvec_read() : GloVe text ("word v1 v2 …" per line), word2vec text
 *  (first line "N D") or word2vec binary (detected from the bytes).
 *  *vectors (N,D) and *vocab: caller owns both; free with gk_mat_free() and
 *  gk_vocab_free(). */
int gk_wordvec_read(const char *path, gk_mat **vectors, gk_vocab **vocab);

/*! gk_wordvec_read_mem() : as gk_wordvec_read() on a file held in memory
 *  (buf[0..len) is copied, not modified; fuzzing).  `name` prefixes messages. */
int gk_wordvec_read_mem(const void *buf, size_t len, const char *name, gk_mat **vectors,
                        gk_vocab **vocab);

/*! gk_vocab_read() : one word per line (a trailing newline is optional). */
int gk_vocab_read(const char *path, gk_vocab **out);
/*! gk_vocab_find() : @return : row of `word`, or -1 (linear scan; build a
 *  hash yourself for many look-ups). */
int64_t gk_vocab_find(const gk_vocab *v, const char *word);
/*! gk_vocab_free() : NULL is a no-op. */
void gk_vocab_free(gk_vocab *v);

/*====  labels  ====*/

typedef struct gk_labels {
    int64_t n;         /* number of rows labelled */
    int32_t *id;       /* (N,) class index of each row, in [0, n_classes) */
    int32_t n_classes; /* distinct labels, in order of first appearance */
    char **name;       /* (n_classes,) label text of each class */
} gk_labels;

/*! gk_labels_read() : `spec` is a text file with one label per line or
 *  "file.csv:COLUMN" (CSV with a header row; quoted fields allowed).
 *  Empty lines are errors, except one trailing newline.  *out: caller owns,
 *  free with gk_labels_free(). */
int gk_labels_read(const char *spec, gk_labels **out);

/*! gk_labels_read_rows() : gk_labels_read() of labels for the rows of a
 *  matrix: there must be exactly `rows` of them, else GK_ESHAPE
 *  "SPEC has 40 labels but WHAT has 50 rows" (what names the matrix, e.g. its
 *  file).  @return : as gk_labels_read(), GK_ESHAPE.  *out : caller owns,
 *  free with gk_labels_free(); NULL on failure. */
int gk_labels_read_rows(const char *spec, int64_t rows, const char *what, gk_labels **out);

/*! gk_labels_read_mem() : labels from a file held in memory: one label per line
 *  (column == NULL) or column `column` of a CSV with a header row.  buf is
 *  copied, not modified (fuzzing).  `name` prefixes messages. */
int gk_labels_read_mem(const void *buf, size_t len, const char *column, const char *name,
                       gk_labels **out);

/*! gk_labels_from_strings() : labels from n strings (copied). */
int gk_labels_from_strings(const char *const *s, int64_t n, gk_labels **out);

/*! gk_labels_match() : for each row label of `rows`, the index in `names`
 *  (whose entries are the prompt names, one per prompt row) of the same text.
 *  idx is (rows->n,).  @return : GK_EFORMAT naming the first label that has
 *  no prompt. */
int gk_labels_match(const gk_labels *rows, const gk_labels *names, int64_t *idx);

/*! gk_labels_free() : NULL is a no-op. */
void gk_labels_free(gk_labels *l);

/*! gk_csv_column() : all values of column `column` of a CSV file as strings.
 *  *values (n strings) : caller frees with gk_strings_free(values, n). */
int gk_csv_column(const char *path, const char *column, char ***values, int64_t *n);
void gk_strings_free(char **s, int64_t n);

/*====  inspection (gapkit info)  ====*/

typedef struct gk_inspect {
    const char *spec;     /* borrowed: the spec given to gk_inspect_file() */
    gk_array_info info;   /* storage on disk */
    int64_t rows, cols;   /* (N, D) after selection */
    int64_t n_nan, n_inf; /* non-finite elements */
    int64_t first_bad_row, first_bad_col; /* first NaN/Inf, or -1 */
    int64_t n_zero_rows;  /* rows whose norm is exactly 0 */
    double norm_min, norm_mean, norm_max; /* L2 row norms over rows with a finite norm
                                             (NaN when there is none) */
    int64_t n_duplicate_rows; /* rows bit-for-bit equal to an earlier row */
} gk_inspect;

/*! gk_inspect_file() : loads `spec` without normalisation and without failing
 *  on NaN/Inf, and measures it: shape, storage, row-norm statistics, NaN/Inf
 *  counts, duplicate rows.  @return : as gk_load_matrix() except that
 *  non-finite values are counted, not errors.  *out is filled on success. */
int gk_inspect_file(const char *spec, gk_inspect *out);

/*! gk_inspect_json() : a JSON document {"files": [ {...}, ... ]} describing
 *  r[0..count).  *json: caller frees with gk_free(). */
int gk_inspect_json(const gk_inspect *r, int64_t count, char **json);

/*====  atomic file output  ====*/

typedef struct gk_outfile gk_outfile;

/*! gk_outfile_open() : opens a temporary file beside `path` for writing.
 *  Write through gk_outfile_stream(); then gk_outfile_commit() renames it into
 *  place, or gk_outfile_abort() removes it.  Exactly one of the two must be
 *  called; both free the handle.  Until then the temporary file is also
 *  removed if the process is killed by SIGINT, SIGTERM, SIGHUP or SIGXFSZ
 *  (a handler is installed for those still at their default action; it
 *  re-raises the signal).  A symbolic link is followed (the link stays); an
 *  existing non-regular `path` (/dev/null, a pipe) is written directly. */
int gk_outfile_open(const char *path, gk_outfile **out);
FILE *gk_outfile_stream(gk_outfile *f);
/*! gk_outfile_check() : whether `path` could be opened by gk_outfile_open()
 *  as far as can be known before writing (not a directory, its directory
 *  exists and is writable), so that a command can refuse before printing
 *  or computing anything.  Creates nothing.  @return : GK_OK, GK_EARG,
 *  GK_EIO (message names the path and the cause). */
int gk_outfile_check(const char *path);
int gk_outfile_commit(gk_outfile *f);
void gk_outfile_abort(gk_outfile *f);

/*! gk_io_guard() : turns the output guard on (1) or off (0), forgetting
 *  what it saw.  While on, every file the library opens for reading is
 *  remembered (device and inode), and gk_outfile_open() refuses with GK_EARG
 *  a path that is one of them (also through a link), or that an earlier
 *  gk_outfile_open() already chose: "--out X.npy" never destroys the input
 *  X.npy, and two outputs never share one file.  Off by default (a program
 *  may rewrite its own file); the gapkit CLI turns it on for each command.
 *  Process-wide, thread-safe. */
void gk_io_guard(int on);
/*! gk_io_note_input() : remembers `path` as an input for the guard, for a
 *  file read by other means than the library's loaders (no-op when off). */
void gk_io_note_input(const char *path);

/*! gk_outfile_set_begin() : starts an output set: until gk_outfile_set_end(),
 *  gk_outfile_commit() writes and syncs each file but leaves it out of
 *  place, so that the files of one command (synth's four, analyze's
 *  report.json and report.html) appear all together or not at all.  Files
 *  written directly (devices) are not deferred.  One set at a time per
 *  process; @return : GK_OK, or GK_EARG if a set is already open. */
int gk_outfile_set_begin(void);
/*! gk_outfile_set_end() : keep = 1 puts every deferred file in place, in
 *  the order committed (SIGINT, SIGTERM and SIGHUP are held meanwhile, so a
 *  signal cannot split the set); keep = 0 discards them all.  Without an open
 *  set it does nothing.  @return : GK_OK, or GK_EIO (the first file that
 *  could not be put in place is named; the rest are discarded). */
int gk_outfile_set_end(int keep);

/*! gk_outfile_set_flush() : puts the files deferred so far in place (as
 *  gk_outfile_set_end(1) does, signals held) and leaves the set open: a
 *  command that must fail yet keep what it wrote (train stopping on a NaN
 *  loss keeps its last good heads) flushes, then the failure's
 *  gk_outfile_set_end(0) discards only the files committed after.  Without
 *  an open set, or with nothing deferred, it does nothing.  @return : GK_OK,
 *  or GK_EIO as gk_outfile_set_end(). */
int gk_outfile_set_flush(void);

/*! gk_write_text_atomic() : writes a NUL-terminated string to `path` atomically. */
int gk_write_text_atomic(const char *path, const char *text);


GK_API_END
#ifdef __cplusplus
}
#endif
#endif /* GAPKIT_IO_H */
