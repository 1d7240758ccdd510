#ifndef BACKDROP_CV4L2_SHIM_H
#define BACKDROP_CV4L2_SHIM_H
#include <stddef.h>
#include <stdint.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <linux/videodev2.h>
#include <libv4l2.h>

// v4l2_ioctl is variadic and the VIDIOC_* request codes are function-like macros:
// Swift imports neither, so fixed-arity wrappers and constants live here.
static inline int backdrop_v4l2_ioctl(int fd, unsigned long request, void *arg) {
    return v4l2_ioctl(fd, request, arg);
}
static inline int backdrop_v4l2_open(const char *path, int flags) { return v4l2_open(path, flags); }
static inline unsigned long backdrop_vidioc_querycap(void) { return VIDIOC_QUERYCAP; }
static inline unsigned long backdrop_vidioc_g_fmt(void) { return VIDIOC_G_FMT; }
static inline unsigned long backdrop_vidioc_s_fmt(void) { return VIDIOC_S_FMT; }
static inline unsigned long backdrop_vidioc_enum_fmt(void) { return VIDIOC_ENUM_FMT; }
static inline unsigned long backdrop_vidioc_reqbufs(void) { return VIDIOC_REQBUFS; }
static inline unsigned long backdrop_vidioc_querybuf(void) { return VIDIOC_QUERYBUF; }
static inline unsigned long backdrop_vidioc_qbuf(void) { return VIDIOC_QBUF; }
static inline unsigned long backdrop_vidioc_dqbuf(void) { return VIDIOC_DQBUF; }
static inline unsigned long backdrop_vidioc_streamon(void) { return VIDIOC_STREAMON; }
static inline unsigned long backdrop_vidioc_streamoff(void) { return VIDIOC_STREAMOFF; }

// Appended for capture and the virtual camera: frame size/interval enumeration, stream
// parameters, and the pixel formats (v4l2_fourcc(...) is a function-like macro too).
static inline unsigned long backdrop_vidioc_enum_framesizes(void) { return VIDIOC_ENUM_FRAMESIZES; }
static inline unsigned long backdrop_vidioc_enum_frameintervals(void) { return VIDIOC_ENUM_FRAMEINTERVALS; }
static inline unsigned long backdrop_vidioc_g_parm(void) { return VIDIOC_G_PARM; }
static inline unsigned long backdrop_vidioc_s_parm(void) { return VIDIOC_S_PARM; }
static inline uint32_t backdrop_v4l2_pix_fmt_yuyv(void) { return V4L2_PIX_FMT_YUYV; }
static inline uint32_t backdrop_v4l2_pix_fmt_mjpeg(void) { return V4L2_PIX_FMT_MJPEG; }
static inline uint32_t backdrop_v4l2_pix_fmt_jpeg(void) { return V4L2_PIX_FMT_JPEG; }
static inline uint32_t backdrop_v4l2_pix_fmt_nv12(void) { return V4L2_PIX_FMT_NV12; }
static inline uint32_t backdrop_v4l2_pix_fmt_yuv420(void) { return V4L2_PIX_FMT_YUV420; }

#endif
