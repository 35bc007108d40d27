/*
** io_internal.h — what the files of src/io share: spec splitting, whole-file
** access, the .npy header model and decoder, line splitting, a string→index
** map.  Not installed.
**
** Convention: internal io_* functions set messages WITHOUT the file name; the
** public entry point that knows the name prefixes it once (gk_error_prepend).
*/
#ifndef GAPKIT_IO_INTERNAL_H
#define GAPKIT_IO_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "gapkit/io.h"

/*! gk_csv_column_mem() : as gk_csv_column() on a CSV held in memory (copied). */
int gk_csv_column_mem(const void *buf, size_t len, const char *column, const char *name,
                      char ***values, int64_t *n);

/*====  specs and file kinds  ====*/

typedef enum {
    IO_KIND_UNKNOWN = 0, IO_KIND_NPY, IO_KIND_NPZ, IO_KIND_TEXT, IO_KIND_W2V_BIN, IO_KIND_CSV
} io_kind;

/* Splits "FILE[:SEL]": the colon is a selector only when the part before it
** names an existing file (the whole spec is tried first).  *path: caller frees
** with gk_free(); *sel points into spec or is NULL. */
int io_spec_split(const char *spec, char **path, const char **sel);

/* File kind from the extension (case-insensitive), else from the magic bytes. */
io_kind io_kind_of(const char *path);

/*====  whole files  ====*/

/* Reads the whole file into a gk_malloc block with one extra NUL byte.
** *buf: caller frees with gk_free().  Messages lack the file name. */
int io_file_read(const char *path, unsigned char **buf, size_t *len);

/* The output guard (file_guard.c): io_guard_input() remembers an opened
** input (st from fstat); io_guard_output() refuses (GK_EARG, message with
** `path`) an output whose resolved `target` is an input or an earlier output. */
struct stat;
void io_guard_input(const char *path, const struct stat *st);
int io_guard_output(const char *path, const char *target);

/* Copies buf[0..len) into a new gk_malloc block with one extra NUL byte, for
** the parsers that work in place.  *copy: caller frees with gk_free(). */
int io_buffer_copy(const void *buf, size_t len, char **copy);

/* Maps the whole file read-only (MAP_PRIVATE).  An empty file gives GK_EFORMAT.
** Unmap with io_file_unmap(). */
int io_file_map(const char *path, int writable, void **base, size_t *len);
void io_file_unmap(void *base, size_t len);

/*====  temporary output files removed on SIGINT/SIGTERM/SIGHUP/SIGXFSZ  ====*/

/* Registers the temporary file `tmp` (borrowed until untracked) for removal
** if the process is killed by one of those signals; installs the handler on
** first use.  @return : the slot for io_outfile_untrack(), or -1 (not tracked). */
int io_outfile_track(const char *tmp);
void io_outfile_untrack(int slot);

/*====  output sets (outfile_set.c)  ====*/

/* Inside an output set: takes the synced file `f` (ownership) to be put in
** place at the end of the set; @return : 1, or 0 when no set is open. */
int io_outset_defer(gk_outfile *f);
/* Puts a synced file in place (outfile.c) and frees the handle. */
int io_outfile_place(gk_outfile *f);

/*====  .npy  ====*/

typedef struct io_npy_header {
    int major, minor;      /* format version */
    size_t data_offset;    /* bytes before the array data (magic + header) */
    int itemsize;          /* 2, 4 or 8 bytes */
    int big_endian;        /* 1 for '>' */
    int fortran;           /* 1: column-major */
    int ndim;              /* 2 or 3 */
    int64_t shape[3];      /* (N,D) or (M,N,D) */
    size_t data_bytes;     /* product of shape and itemsize, overflow-checked */
    char descr[16];        /* as written, e.g. "<f4" */
} io_npy_header;

/* Parses and validates the header of a .npy held in buf[0..len): magic,
** version, header length, dict syntax, dtype, order, shape (2-D or 3-D, no
** zero dimension), size overflow and len >= data_offset + data_bytes. */
int io_npy_header_parse(const unsigned char *buf, size_t len, io_npy_header *h);
/* The same from the first `avail` bytes of a len-byte .npy (avail <= len):
** the header must lie within them; the size check uses len. */
int io_npy_header_parse_part(const unsigned char *buf, size_t avail, size_t len,
                             io_npy_header *h);

/* The view of an (M,N,D) array named by `sel` ("0".."M-1"); -1 for a 2-D
** array, which must have sel == NULL. */
int io_npy_view(const io_npy_header *h, const char *sel, int64_t *view);

/* Rows and columns of the (N,D) matrix after selection. */
void io_npy_dims(const io_npy_header *h, int64_t *rows, int64_t *cols);

/* 1 when the data can be used in place: little-endian host and file, float32,
** C order, 4-byte aligned offset. */
int io_npy_mappable(const io_npy_header *h);
/* 1 on a little-endian host. */
int io_host_little_endian(void);

/* Decodes view `view` of the array whose data starts at `data` into a new
** row-major float32 matrix (converting dtype, byte order and order). */
int io_npy_decode(const io_npy_header *h, const unsigned char *data, int64_t view,
                  gk_mat **out);

/* Fills the dtype/order/shape fields of info from h. */
void io_npy_info(const io_npy_header *h, int64_t view, gk_array_info *info);

/* Reads a .npy file, memory-mapping it when allowed and possible. */
int io_npy_load(const char *path, const char *sel, int allow_mmap, gk_mat **out,
                gk_array_info *info);

/* Encodes a float32 (from m) or float64 (from d64) row-major array as a
** complete .npy (version 1.0, little-endian, C order) in a new gk_malloc block. */
int io_npy_encode(const gk_mat *m, const double *d64, int64_t rows, int64_t cols,
                  unsigned char **buf, size_t *len);

/* The .npy 1.0 header of a C-order (rows, cols) array of dtype descr ("<f4",
** "<f8") into hdr[0..cap), padded so the data starts at a multiple of 64;
** returns its size, or 0 if cap is too small. */
size_t io_npy_header_make(char *hdr, size_t cap, const char *descr, int64_t rows, int64_t cols);

/* Header, selector and decoding of a .npy held in buf[0..len) (no finite check). */
int io_npy_from_buffer(const unsigned char *buf, size_t len, const char *sel, gk_mat **out,
                       gk_array_info *info);

/*====  .npz, word vectors  ====*/

/* Member `member` ("x" or "x.npy"; NULL: the only array member) of an .npz
** file, without the finite check. */
int io_npz_load(const char *path, const char *member, gk_mat **out, gk_array_info *info);

/* The common end of the public array readers: on success checks *out for
** NaN/Inf (the message led by `member` when not NULL); on any failure frees
** *out, sets it NULL and leads the message with `name`.  @return : rc or the
** finite check's code. */
int io_array_finish(int rc, gk_mat **out, const char *member, const char *name);

/* GloVe text, word2vec text or binary; vocab may be NULL. */
int io_wordvec_load(const char *path, gk_mat **out, gk_vocab **vocab, gk_array_info *info);

/* word2vec binary records of buf[pos..len): n times "word " + d little-endian
** float32 (+ optional '\n').  *words: n gk_strdup'd words (caller frees with
** gk_strings_free) or not returned when words == NULL. */
int io_w2v_binary_parse(const unsigned char *buf, size_t len, size_t pos, int64_t n, int64_t d,
                        gk_mat **out, char ***words);

/*====  text  ====*/

/* 3 if buf starts with a UTF-8 byte-order mark (EF BB BF), else 0. */
size_t io_bom_len(const void *buf, size_t len);

/* Splits buf[0..len) (NUL-terminated) into lines in place, after a UTF-8
** byte-order mark if there is one: every '\n' (and a '\r' before it) becomes NUL.
** A NUL byte in the text is GK_EFORMAT naming its line.  *lines (caller frees with gk_free) points into
** buf; a final line without '\n' counts, an empty final line after '\n' does not. */
int io_split_lines(char *buf, size_t len, char ***lines, int64_t *n);

/* Copies n strings into a new gk_malloc'd array of gk_strdup'd strings. */
int io_strings_copy(const char *const *s, int64_t n, char ***out);

/*====  string → index map (open addressing, FNV-1a)  ====*/

typedef struct io_strmap {
    const char **key; /* borrowed strings */
    int64_t *val;
    size_t cap;       /* power of two */
    size_t count;
} io_strmap;

int io_strmap_init(io_strmap *m, size_t expected);
/* Inserts key→val unless present; *found receives the existing or new value. */
int io_strmap_put(io_strmap *m, const char *key, int64_t val, int64_t *found);
/* @return : the value of key or -1. */
int64_t io_strmap_get(const io_strmap *m, const char *key);
void io_strmap_free(io_strmap *m);

/*====  row statistics for inspection  ====*/

/* Number of rows of a that are bit-for-bit equal to an earlier row. */
int io_count_duplicate_rows(const gk_mat *a, int64_t *n_dup);

#endif
