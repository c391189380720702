// Implements zhaoren_icu.h over the CICU system-library target's unversioned static inline
// wrappers (ICU's C names carry a version suffix, e.g. utrans_openU_72).
#include "zhaoren_icu.h"
#include "../CICU/shim.h"

void *zhaoren_icu_translit_open(const uint16_t *id, int32_t idLength, int32_t *status) {
    return zr_translit_open((const UChar *)id, idLength, (UErrorCode *)status);
}

void *zhaoren_icu_translit_open_rules(const uint16_t *id, int32_t idLength, const uint16_t *rules,
                                      int32_t rulesLength, int32_t *status) {
    return zr_translit_open_rules((const UChar *)id, idLength, (const UChar *)rules, rulesLength, (UErrorCode *)status);
}

void zhaoren_icu_translit_close(void *translit) { zr_translit_close((UTransliterator *)translit); }

void zhaoren_icu_translit_run(const void *translit, uint16_t *text, int32_t *length, int32_t capacity,
                              int32_t *status) {
    zr_translit_run((const UTransliterator *)translit, (UChar *)text, length, capacity, (UErrorCode *)status);
}

void *zhaoren_icu_converter_open_strict(const char *name, int32_t *status) {
    return zr_converter_open_strict(name, (UErrorCode *)status);
}

void zhaoren_icu_converter_close(void *converter) { zr_converter_close((UConverter *)converter); }

int32_t zhaoren_icu_converter_to_utf16(void *converter, uint16_t *dest, int32_t destCapacity,
                                       const char *src, int32_t srcLength, int32_t *status) {
    return zr_converter_to_utf16((UConverter *)converter, (UChar *)dest, destCapacity, src, srcLength, (UErrorCode *)status);
}

int32_t zhaoren_icu_converter_from_utf16(void *converter, char *dest, int32_t destCapacity,
                                         const uint16_t *src, int32_t srcLength, int32_t *status) {
    return zr_converter_from_utf16((UConverter *)converter, dest, destCapacity, (const UChar *)src, srcLength,
                                   (UErrorCode *)status);
}

int zhaoren_icu_failed(int32_t status) { return zr_failure((UErrorCode)status); }
int zhaoren_icu_buffer_overflow(int32_t status) { return (UErrorCode)status == U_BUFFER_OVERFLOW_ERROR; }
const char *zhaoren_icu_error_name(int32_t status) { return zr_error_name((UErrorCode)status); }
