// The ICU calls Zhaoren makes, behind an opaque C interface.
//
// Swift never includes an ICU header: system ICU's headers and the ICU bundled in Swift
// Foundation define the same C types differently, and clang refuses to load both into one Swift
// module. This header uses only standard C types; zhaoren_icu.c includes ICU through the CICU
// system-library target's unversioned wrappers.
#ifndef ZHAOREN_ICU_H
#define ZHAOREN_ICU_H

#include <stdint.h>

/// Opens a transliterator by ICU id (UTF-16), forward; NULL on failure (see `status`).
void *zhaoren_icu_translit_open(const uint16_t *id, int32_t idLength, int32_t *status);
/// Opens a transliterator from custom rules (UTF-16).
void *zhaoren_icu_translit_open_rules(const uint16_t *id, int32_t idLength, const uint16_t *rules,
                                      int32_t rulesLength, int32_t *status);
void zhaoren_icu_translit_close(void *translit);
/// Transliterates `text` in place (`*length` units of a buffer of `capacity` units).
void zhaoren_icu_translit_run(const void *translit, uint16_t *text, int32_t *length, int32_t capacity,
                              int32_t *status);

/// Opens a charset converter that stops at the first illegal or unmappable sequence.
void *zhaoren_icu_converter_open_strict(const char *name, int32_t *status);
void zhaoren_icu_converter_close(void *converter);
/// Decodes bytes into UTF-16; returns the number of units (may exceed the capacity).
int32_t zhaoren_icu_converter_to_utf16(void *converter, uint16_t *dest, int32_t destCapacity,
                                       const char *src, int32_t srcLength, int32_t *status);
/// Encodes UTF-16 into the converter's charset; returns the number of bytes.
int32_t zhaoren_icu_converter_from_utf16(void *converter, char *dest, int32_t destCapacity,
                                         const uint16_t *src, int32_t srcLength, int32_t *status);

/// Whether `status` is a failure.
int zhaoren_icu_failed(int32_t status);
/// Whether `status` says the output buffer was too small.
int zhaoren_icu_buffer_overflow(int32_t status);
/// ICU's name for `status`.
const char *zhaoren_icu_error_name(int32_t status);

#endif
