/* The embedded stub image and executor code (tracer/stub/, linked in by blobs.S). */
#ifndef PICOVISOR_STUB_H
#define PICOVISOR_STUB_H

extern const unsigned char pv_stub_image[], pv_stub_image_end[];
extern const unsigned char pv_executor_code[], pv_executor_code_end[];

#endif
