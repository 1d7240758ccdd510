#ifndef BACKDROP_CXNNPACK_SHIM_H
#define BACKDROP_CXNNPACK_SHIM_H
// Debian ships XNNPACK without pkg-config: headers in /usr/include, link name "XNNPACK".
#include <stddef.h>
#include <stdint.h>
#include <pthreadpool.h>
#include <xnnpack.h>

// Macros Swift does not import as constants.
static inline size_t backdrop_xnn_extra_bytes(void) { return XNN_EXTRA_BYTES; }
static inline uint32_t backdrop_xnn_invalid_value_id(void) { return XNN_INVALID_VALUE_ID; }
static inline uint32_t backdrop_xnn_value_flag_external_input(void) { return XNN_VALUE_FLAG_EXTERNAL_INPUT; }
static inline uint32_t backdrop_xnn_value_flag_external_output(void) { return XNN_VALUE_FLAG_EXTERNAL_OUTPUT; }
static inline uint32_t backdrop_xnn_flag_tensorflow_same_padding(void) { return XNN_FLAG_TENSORFLOW_SAME_PADDING; }
static inline uint32_t backdrop_xnn_flag_tensorflow_legacy_mode(void) { return XNN_FLAG_TENSORFLOW_LEGACY_MODE; }
static inline uint32_t backdrop_xnn_flag_align_corners(void) { return XNN_FLAG_ALIGN_CORNERS; }

#endif
