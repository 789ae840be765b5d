/* order.h: queue orders (--order) and the index that keeps a waiting list in such an order.
 *
 * Within a partition, waiting jobs are ordered by their queue's priority level first (sched.h),
 * then by the run's order, then by submission:
 *   submit  submission (the default: the lists are appended to, O(1));
 *   sjf     shortest requested time first;      ljf    longest requested time first;
 *   small   fewest units first;                   large  most units first
 *           (units: cores on CPU partitions, GPUs on GPU partitions, as EASY counts them);
 *   wfp3    largest (wait / requested time)^3 x units first (Tang et al. 2009), re-evaluated
 *           at every instant: the lists are sorted again before each pass.
 * A static order (sjf, ljf, small, large) keeps, per waiting list, a treap of its jobs keyed by
 * (key, submission sequence): inserting a job finds its place in O(log n) and it is linked into
 * the list there, so walks stay O(1) per job. */
#ifndef JZ_ORDER_H
#define JZ_ORDER_H

#include <stdint.h>

typedef enum jz_order {
  JZ_ORDER_SUBMIT = 0,
  JZ_ORDER_SJF,
  JZ_ORDER_LJF,
  JZ_ORDER_SMALL,
  JZ_ORDER_LARGE,
  JZ_ORDER_WFP3,
  JZ_ORDER_COUNT
} jz_order_t;

/* Name of an order ("submit", ...); the order of a name, or -1 if unknown. */
const char *jz_order_name(jz_order_t o);
int jz_order_find(const char *name);
#define JZ_ORDER_NAMES "submit, sjf, ljf, small, large, wfp3"

/* The treap nodes of every job (a job is in one list at a time), and one root per list. */
typedef struct jz_oindex {
  double *key;
  uint32_t *seq, *l, *r, *pri;
} jz_oindex_t;

int jz_oindex_init(jz_oindex_t *x, uint32_t njobs); /* 0 or -JZ_ENOMEM */
void jz_oindex_free(jz_oindex_t *x);
/* Insert job id with (key, seq) into the tree at *root; returns the job just before it in
 * the order, or UINT32_MAX if it comes first. O(log n) expected. */
uint32_t jz_oindex_insert(jz_oindex_t *x, uint32_t *root, uint32_t id, double key, uint32_t seq);
void jz_oindex_remove(jz_oindex_t *x, uint32_t *root, uint32_t id);

#endif
