#ifndef BACKDROP_CFFMPEG_SHIM_H
#define BACKDROP_CFFMPEG_SHIM_H
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavdevice/avdevice.h>
#include <libavutil/avutil.h>
#include <libavutil/error.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
#include <libavutil/channel_layout.h>
#include <libswscale/swscale.h>

// AVERROR(e), AVERROR_EOF and av_err2str are function-like macros Swift cannot import.
static inline int backdrop_averror(int posix_errno) { return AVERROR(posix_errno); }
static inline int backdrop_averror_eof(void) { return AVERROR_EOF; }
static inline int backdrop_averror_eagain(void) { return AVERROR(EAGAIN); }
static inline int64_t backdrop_av_nopts_value(void) { return AV_NOPTS_VALUE; }
static inline int backdrop_av_time_base(void) { return AV_TIME_BASE; }

// Fills buf with FFmpeg's message for an error code; always NUL-terminated.
static inline void backdrop_av_strerror(int code, char *buf, size_t size) {
    if (av_strerror(code, buf, size) < 0) { snprintf(buf, size, "unknown FFmpeg error %d", code); }
}

// AVFrame.data / linesize are C arrays (tuples in Swift): index them here.
static inline uint8_t *backdrop_frame_plane(const AVFrame *f, int i) { return f->data[i]; }
static inline int backdrop_frame_linesize(const AVFrame *f, int i) { return f->linesize[i]; }
// --- Streaming (RTP/SRTP): macros Swift cannot import. ---
static inline int backdrop_averror_exit(void) { return AVERROR_EXIT; }
static inline int backdrop_av_frame_flag_corrupt(void) { return AV_FRAME_FLAG_CORRUPT; }
// --- end Streaming ---
#endif
