/* slurm_fairshare.c: Slurm's fair-share factor over the association tree (root, accounts,
 * users), from decayed usage.
 *
 * Usage. Each user's raw usage (core-seconds) decays like Slurm's: every second multiplies it
 * by D = 1 - ln2/PriorityDecayHalfLife, so over one half-life it halves (to within 1e-6 for
 * half-lives of minutes or more). An account's usage is the sum of its subtree's.
 *
 * Classic (PriorityFlags=NO_FAIR_TREE, classic_fair_share.shtml): F = 2^(-UE/S/d), with
 * S the normalised shares (product of shares / siblings' shares up the tree), UA the usage
 * normalised by root's, and the effective usage UE = UA for root's children, else
 * UE = UA + (UE_parent - UA)·shares/siblings' shares.
 *
 * Fair Tree (fair_tree.shtml, the default): at each level every sibling gets
 * LF = S/U, S = shares / siblings' shares, U = usage / siblings' usage (U = 0: LF = ∞);
 * siblings are visited by decreasing LF (ties in insertion order), depth first; the users in
 * that visiting order get ranks N, N-1, ... 1 (N users; consecutive sibling users with equal LF
 * share a rank) and the factor rank/N.
 *
 * Worked example (SLURM-NOTES): root → A (40) {u1, u2}, D (60) {u4, u5}, one share per user,
 * usage u1 200, u2 250, u4 250, u5 0. Classic: S(u1) = 0.4·0.5 = 0.2, UA(A) = 450/700,
 * UE(u1) = 200/700 + (450/700 - 200/700)·0.5 = 0.4643, F = 2^(-2.321) = 0.200; likewise u2
 * 0.177, u4 0.438, u5 0.662. Fair Tree: LF(A) = 0.4/0.643 = 0.62 < LF(D) = 0.6/0.357 = 1.68,
 * so D first: u5 (LF ∞) 4/4 = 1.00, u4 3/4 = 0.75, then u1 (LF 1.125) 0.50, u2 (0.9) 0.25.
 *
 * Cost: O(nodes log siblings) per jz_fs_compute (Slurm recomputes every PriorityCalcPeriod). */
#include <math.h>
#include <stdlib.h>

#include "sched/slurm.h"

int jz_fs_init(jz_fs_t *fs) {
  fs->n = NULL;
  fs->len = fs->cap = 0;
  return jz_fs_add(fs, -1, 1, false) < 0 ? -JZ_ENOMEM : 0;
}

void jz_fs_free(jz_fs_t *fs) {
  free(fs->n);
  fs->n = NULL;
  fs->len = fs->cap = 0;
}

int32_t jz_fs_add(jz_fs_t *fs, int32_t parent, long shares, bool user) {
  if (fs->len == fs->cap) {
    int32_t cap = fs->cap ? fs->cap * 2 : 16;
    jz_fs_node_t *n = realloc(fs->n, (size_t)cap * sizeof *n);
    if (!n) return -JZ_ENOMEM;
    fs->n = n;
    fs->cap = cap;
  }
  int32_t i = fs->len++;
  fs->n[i] = (jz_fs_node_t){.parent = parent, .first_child = -1, .last_child = -1, .next_sibling = -1,
                            .shares = shares, .user = user};
  if (parent >= 0) {
    /* Append: children keep insertion order (the tie-break of Fair Tree). */
    jz_fs_node_t *p = &fs->n[parent];
    if (p->last_child >= 0) fs->n[p->last_child].next_sibling = i; else p->first_child = i;
    p->last_child = i;
  }
  return i;
}

void jz_fs_decay(jz_fs_t *fs, double dt, double halflife) {
  if (halflife <= 0 || dt <= 0) return;
  double f = pow(1 - 0.69314718055994530942 / halflife, dt);
  for (int32_t i = 0; i < fs->len; i++)
    if (fs->n[i].user) fs->n[i].usage *= f;
}

/* Classic: top-down (parents have smaller indices), keeping S in factor and UE in lf. */
static void classic(jz_fs_t *fs, double damp) {
  double total = fs->n[0].usage;
  fs->n[0].factor = 1; /* S of root */
  fs->n[0].lf = 1;     /* UE of root */
  for (int32_t i = 1; i < fs->len; i++) {
    jz_fs_node_t *x = &fs->n[i];
    const jz_fs_node_t *p = &fs->n[x->parent];
    double sib = p->kids_shares;
    double local = sib > 0 ? (double)x->shares / sib : 0;
    double s = p->factor * local;
    double ua = total > 0 ? x->usage / total : 0;
    double ue = x->parent == 0 ? ua : ua + (p->lf - ua) * local;
    x->factor = s;
    x->lf = ue;
  }
  for (int32_t i = 1; i < fs->len; i++) {
    jz_fs_node_t *x = &fs->n[i];
    if (!x->user) continue;
    x->factor = x->factor > 0 ? pow(2, -x->lf / x->factor / damp) : 0;
  }
}

/* Siblings by decreasing LF, ties by index (insertion order): deterministic. */
typedef struct lfkey {
  double lf;
  int32_t id;
} lfkey_t;

static int by_lf(const void *a, const void *b) {
  const lfkey_t *x = a, *y = b;
  if (x->lf != y->lf) return x->lf > y->lf ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

/* Push the children of account a, sorted, as a block of order[] from *top. */
static void push_children(const jz_fs_t *fs, lfkey_t *order, int32_t *top, int32_t a) {
  int32_t start = *top;
  for (int32_t c = fs->n[a].first_child; c >= 0; c = fs->n[c].next_sibling)
    order[(*top)++] = (lfkey_t){fs->n[c].lf, c};
  qsort(order + start, (size_t)(*top - start), sizeof *order, by_lf);
}

/* Fair Tree: a depth-first walk with an explicit stack of sorted sibling blocks. */
static int fair_tree(jz_fs_t *fs) {
  int32_t users = 0;
  for (int32_t i = 0; i < fs->len; i++) users += fs->n[i].user;
  if (users == 0) return 0;
  for (int32_t a = 0; a < fs->len; a++) {
    if (fs->n[a].user) continue;
    double sib = fs->n[a].kids_shares, use = fs->n[a].usage;
    for (int32_t c = fs->n[a].first_child; c >= 0; c = fs->n[c].next_sibling) {
      double s = sib > 0 ? (double)fs->n[c].shares / sib : 0;
      double u = use > 0 ? fs->n[c].usage / use : 0;
      fs->n[c].lf = u > 0 ? s / u : INFINITY;
    }
  }
  /* Every node is in at most one block at a time: fs->len entries suffice. */
  lfkey_t *order = malloc((size_t)fs->len * sizeof *order);
  int32_t *blk = malloc((size_t)fs->len * 3 * sizeof *blk);
  if (!order || !blk) {
    free(order);
    free(blk);
    return -JZ_ENOMEM;
  }
  int32_t *bstart = blk, *bpos = blk + fs->len, *bend = blk + 2 * fs->len;
  int32_t top = 0, depth = 0, rank = users, seen = 0;
  bstart[0] = bpos[0] = top;
  push_children(fs, order, &top, 0);
  bend[depth++] = top;
  while (depth > 0) {
    int32_t d = depth - 1;
    if (bpos[d] == bend[d]) {
      top = bstart[d];
      depth--;
      continue;
    }
    int32_t k = bpos[d]++;
    int32_t i = order[k].id;
    jz_fs_node_t *x = &fs->n[i];
    if (x->user) {
      /* A tie with the previous sibling, a user, keeps its rank. */
      bool tie = k > bstart[d] && fs->n[order[k - 1].id].user && order[k - 1].lf == x->lf;
      if (!tie) rank = users - seen;
      seen++;
      x->factor = (double)rank / (double)users;
      continue;
    }
    bstart[depth] = bpos[depth] = top;
    push_children(fs, order, &top, i);
    bend[depth++] = top;
  }
  free(order);
  free(blk);
  return 0;
}

int jz_fs_compute(jz_fs_t *fs, bool fair_tree_on, double damp) {
  for (int32_t i = 0; i < fs->len; i++)
    if (!fs->n[i].user) fs->n[i].usage = fs->n[i].kids_shares = 0;
  /* Children have larger indices than their parent: a backward sweep sums the subtrees. */
  for (int32_t i = fs->len - 1; i > 0; i--) {
    fs->n[fs->n[i].parent].usage += fs->n[i].usage;
    fs->n[fs->n[i].parent].kids_shares += (double)fs->n[i].shares;
  }
  if (fair_tree_on) return fair_tree(fs);
  classic(fs, damp > 0 ? damp : 1);
  return 0;
}
