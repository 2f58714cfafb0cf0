/* fuzz.h: the libFuzzer entry point every target under tests/fuzz defines. */
#ifndef ECSFIX_TESTS_FUZZ_H
#define ECSFIX_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A NUL-terminated copy of data (the parsers under test take C strings). Caller frees. */
char *fuzz_cstr(const uint8_t *data, size_t size);

#endif
