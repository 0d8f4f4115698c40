/* `picovisor doctor`: what this machine gives picovisor, tried, and what it means (tracer/run/doctor.c). */
#ifndef PICOVISOR_DOCTOR_H
#define PICOVISOR_DOCTOR_H

/* Prints the table; 0 if programs can run under picovisor here, 1 if not. */
int doctor_main(void);

#endif
