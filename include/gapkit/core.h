/*
** core.h — status codes, error messages, allocation, version and random numbers.
**
** Every fallible gapkit function returns an int status: GK_OK (0) on success or
** one of the positive, pinned GK_E* codes below.  The detailed text of the last
** failure on the calling thread is read with gk_last_error().
*/
#ifndef GAPKIT_CORE_H
#define GAPKIT_CORE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*====  visibility  ====*/
/* The library is built with -fvisibility=hidden: what a public header
** declares between GK_API_BEGIN and GK_API_END is exported from the shared
** library, and nothing else is (tests/symbols.sh checks it).  GK_API marks
** a single declaration outside such a block. */
#if defined(__GNUC__)
#define GK_API __attribute__((visibility("default")))
#define GK_API_BEGIN _Pragma("GCC visibility push(default)")
#define GK_API_END _Pragma("GCC visibility pop")
#else
#define GK_API
#define GK_API_BEGIN
#define GK_API_END
#endif
GK_API_BEGIN

/*====  version  ====*/
#define GK_VERSION_MAJOR 0
#define GK_VERSION_MINOR 1
#define GK_VERSION_PATCH 0
#define GK_VERSION_NUMBER (GK_VERSION_MAJOR * 10000 + GK_VERSION_MINOR * 100 + GK_VERSION_PATCH)
#define GK_VERSION_STRING "0.1.0"

/*! gk_version_number() :
 *  @return : GK_VERSION_NUMBER of the library that is linked at run time,
 *            to compare with the header's (zstd's checkLibVersion). */
int gk_version_number(void);
/*! gk_version_string() : @return : static string such as "0.1.0". */
const char *gk_version_string(void);

/*====  status codes (values are pinned; new codes may be added)  ====*/
#define GK_OK        0  /* success */
#define GK_ENOMEM    1  /* an allocation failed */
#define GK_EIO       2  /* a file could not be opened, read, written or renamed */
#define GK_EFORMAT   3  /* input bytes are not of the expected format */
#define GK_ESHAPE    4  /* dimensions or row counts do not agree */
#define GK_EARG      5  /* an argument is out of its documented range */
#define GK_EBLAS     6  /* BLAS/LAPACK reported failure (routine named in the message) */
#define GK_ENUMERIC  7  /* NaN, Inf, a zero row or another numerically invalid value */
#define GK_EINTERNAL 8  /* an internal invariant failed: a bug, please report */

/*! gk_strerror() :
 *  @return : static one-line description of a status code; never NULL. */
const char *gk_strerror(int code);

/*! gk_last_error() :
 *  @return : text of the last failure on the calling thread, e.g.
 *            "x.npy: header says shape (1000, 768) but file has 3072000 bytes".
 *            Borrowed: thread-local storage owned by the library, overwritten by
 *            the next failing call.  Never changes the stored error itself. */
const char *gk_last_error(void);

/*! gk_set_error() : sets the calling thread's error text (printf-style) and
 *  @return : code, so a caller can write `return gk_set_error(GK_EARG, ...)`.
 *  For code built on the library (the CLI, extensions). */
int gk_set_error(int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/*! gk_error_prepend() : prefixes the current error text with "prefix: ",
 *  used to add a file name to a message from a lower layer.  @return : code. */
int gk_error_prepend(int code, const char *prefix);

/*====  allocation  ====*/
/* Library code allocates only through these, so that tests can inject
** allocation failures (SQLite's faultsim, Lua's memerr). */
typedef struct gk_allocator {
    void *(*alloc)(void *ud, size_t size); /* returns NULL on failure */
    void (*free)(void *ud, void *ptr);     /* accepts NULL */
    void *ud;
} gk_allocator;

/*! gk_set_allocator() : installs a process-wide allocator (NULL restores
 *  malloc/free).  Call before any other gapkit call; not thread-safe. */
void gk_set_allocator(const gk_allocator *a);

/*! gk_malloc() : @return : 64-byte aligned block of `size` bytes, or NULL
 *  (with gk_last_error() set).  Free with gk_free(). */
void *gk_malloc(size_t size);
/*! gk_calloc() : as gk_malloc for n*size zeroed bytes; checks the product. */
void *gk_calloc(size_t n, size_t size);
/*! gk_free() : releases a gk_malloc block; NULL is a no-op. */
void gk_free(void *ptr);
/*! gk_strdup() : copy of a NUL-terminated string; caller frees with gk_free(). */
char *gk_strdup(const char *s);

/*====  random numbers  ====*/
/* xoshiro256** seeded by splitmix64: fast, reproducible on every platform. */
typedef struct gk_rng {
    uint64_t s[4];
} gk_rng;

/*! gk_rng_seed() : initialises *r deterministically from `seed`. */
void gk_rng_seed(gk_rng *r, uint64_t seed);
/*! gk_rng_next() : @return : the next 64 uniformly random bits. */
uint64_t gk_rng_next(gk_rng *r);
/*! gk_rng_uniform() : @return : a double uniform in [0, 1). */
double gk_rng_uniform(gk_rng *r);
/*! gk_rng_normal() : @return : a standard normal double (Box–Muller). */
double gk_rng_normal(gk_rng *r);
/*! gk_rng_below() : @return : an integer uniform in [0, n), n > 0, unbiased. */
uint64_t gk_rng_below(gk_rng *r, uint64_t n);
/*! gk_rng_shuffle() : Fisher–Yates permutation of idx[0..n). */
void gk_rng_shuffle(gk_rng *r, int64_t *idx, int64_t n);

/*====  text  ====*/
/*! gk_utf8_escape() : a copy of `s` that is valid UTF-8: every byte that is
 *  not part of a well-formed UTF-8 sequence becomes the four characters \xNN
 *  (as Python's errors="backslashreplace"); valid text is copied unchanged.
 *  For file names and labels on their way into JSON and HTML.
 *  @return : the copy (caller frees with gk_free()), NULL if s is NULL or
 *  memory runs out. */
char *gk_utf8_escape(const char *s);

/*====  threads  ====*/
/*! gk_set_threads() : number of threads for gapkit's own loops and BLAS
 *  (0 or less = all cores, also after another value).  Results do not
 *  depend on it. */
void gk_set_threads(int n);
/*! gk_get_threads() : @return : the number of threads in use. */
int gk_get_threads(void);

/*====  progress  ====*/
/* Long operations (data passes, permutation tests, neighbour searches)
** report how far they are through a callback; the library itself never
** prints.  stage names the step ("comet fit: cross-product"), done/total
** count its units (rows, permutations, …), done == total once at the end;
** total <= 0 while the end is not known in advance.
** Called from the thread that runs the operation, at most a few hundred
** times per stage. */
typedef void (*gk_progress_fn)(void *ud, const char *stage, int64_t done, int64_t total);
/*! gk_set_progress() : installs fn (NULL = none, the default) for the calling
 *  program; ud is passed back untouched. */
void gk_set_progress(gk_progress_fn fn, void *ud);

GK_API_END
#ifdef __cplusplus
}
#endif
#endif /* GAPKIT_CORE_H */
