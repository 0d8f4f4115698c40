/* The /proc links picovisor must answer for: which pico process a /proc/.../exe path names. */
#ifndef PICOVISOR_PROC_LINKS_H
#define PICOVISOR_PROC_LINKS_H

struct tracee;
struct pico_process;

/*
 * The process whose exe link path names (/proc/self/exe, /proc/thread-self/exe,
 * /proc/PID/exe, /proc/PID/task/TID/exe), seen from t; NULL if the path is no
 * such link, names no traced process, or that process has no known executable.
 */
struct pico_process *exe_link_owner(struct tracee *t, const char *path);

#endif
