/*
** fuzz_npz.c — libFuzzer target for the .npz (zip) reader: stored and
** deflated members, looked up as the only array, by name ("x", with or
** without ".npy") and as raw text ("header.json"); then through
** gk_load_matrix_ex() on the input as an in-memory file (memory map).
*/
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    if (!init++) fuzz_init_threads();
    fuzz_read_matrix(gk_npz_read_mem, data, size, NULL, "fuzz.npz");
    fuzz_read_matrix(gk_npz_read_mem, data, size, "x", "fuzz.npz");
    fuzz_load_file(data, size, "x");
    char *text = (char *)1;
    int rc = gk_npz_read_text_mem(data, size, "header.json", "fuzz.npz", &text);
    if (rc == GK_OK) {
        FUZZ_CHECK(text != NULL);
        (void)strlen(text); /* NUL-terminated within its block */
        gk_free(text);
    } else {
        FUZZ_CHECK(text == NULL);
        fuzz_check_failure(rc, "fuzz.npz");
    }
    return 0;
}
