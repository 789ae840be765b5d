/* simgrid_xml.c: write a platform model as a SimGrid 3.32 platform file (DTD 4.1).
 *
 * Layout (every name below is checked for clashes before anything is written):
 *
 *   zone "jzsim" (DijkstraCache)
 *     cluster <partition>          hosts <partition>-0 .. -(n-1), one per node
 *     cluster <partition>-io       torus and dragonfly partitions only: storage ports
 *                                  <partition>-io-0 .. -(n-1), flat, with a router
 *     ...
 *     zone "jzsim-services" (Full) router jzsim-services-router, one host per storage tier
 *                                  (with one disk) and the controller host, each behind its
 *                                  own link; routes router<->host and host<->host
 *     link <partition>-uplink      per partition, nodes x links_per_node x bandwidth: the
 *                                  partition's total injection rate, so it never limits more
 *                                  than the nodes' own links do
 *     zoneRoute partition <-> services, through the partition's uplink
 *     zoneRoute <partition>-io <-> services, through the same uplink
 *
 * The top zone is a star around the services zone: one zoneRoute per partition, and SimGrid's
 * Dijkstra routing finds partition <-> partition routes through the services router (the
 * partition's uplink, then the other's), the same links a direct route would list. A route per
 * pair of partitions made the file and SimGrid's load quadratic: 2,000 partitions took 35 s and
 * 457 MB, 4,000 took 218 s and 1.7 GB. DijkstraCache computes a source's routes once, when a
 * flow first needs them.
 *
 * The gateway of a cluster in a zoneRoute must be a netpoint of the cluster. SimGrid 3.32
 * gives only FLAT clusters a router (<prefix><id>_router<suffix>); FAT_TREE, TORUS and
 * DRAGONFLY clusters get none (PLATFORM-NOTES B.1). Fat trees are therefore written as FLAT
 * clusters with a backbone of the tree's narrowest level (plan_backbone), and reach other
 * zones through their router. Torus and dragonfly clusters keep SimGrid's topology for their
 * messages, and their host 0 as the gateway of their zoneRoute; their storage traffic does
 * not use it: each node has a storage port (simgrid_xml.h), a host of a flat cluster beside
 * the torus whose own link has the node's injection bandwidth and whose router reaches the
 * tiers over the partition's uplink. A router inside those clusters would not do: their
 * routing gives a host-to-router route no link at all (sg:v3.32 TorusZone/DragonflyZone
 * get_local_route return early for routers), so storage traffic would pay no injection.
 *
 * Numbers are written in base units (f, Bps, s, B) with jz_units_fmt_double, the shortest
 * text that reads back to the same double, so the output is byte-for-byte deterministic. */
#include "simgrid_xml.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "units.h"

#define TOP_ZONE "jzsim"
#define SERVICES_ZONE "jzsim-services"
#define SERVICES_ROUTER "jzsim-services-router"
#define CONTROLLER_LINK JZ_SIMGRID_CONTROLLER "-link"
/* The controller only runs the scheduler actor; 1 Gf/s makes a timer exec of dt x 1e9 flops
 * last exactly dt (PLATFORM-NOTES B.6). Its link carries no modelled traffic. */
#define CONTROLLER_SPEED 1e9
#define CONTROLLER_BW 12.5e9
#define DEFAULT_SPEED 1e9 /* nodes whose type gives no core_speed */
#define STORAGE_HOST_SPEED 1e9

typedef struct cluster_info {
  const char *topo;       /* SimGrid topology written: "FLAT", "TORUS" or "DRAGONFLY" */
  char params[64];        /* topo_parameters, "" for FLAT; a fat tree's, in its comment */
  char gateway[300];      /* netpoint used by zoneRoutes */
  char ports_gateway[300]; /* the storage ports' router */
  bool fat_tree;          /* a fat tree written as a FLAT cluster with a backbone */
  bool ports;             /* a torus or dragonfly: storage ports beside it */
  double bb_bw, bb_lat;   /* its backbone; bb_bw 0 = none (one switch: a crossbar) */
} cluster_info_t;

/* ------------------------------------------------------------------------------------------ */
/* Names                                                                                      */

typedef struct name_ent {
  char *name;
  const char *owner_kind; /* "partition", "storage tier", or NULL for jzsim's own names */
  const char *owner;
  const char *role;       /* "zone", "router", "host", "link", ... */
  jz_srcpos_t pos;
  bool is_link;
} name_ent_t;

static char *xstrcat3(const char *a, const char *b, const char *c) {
  size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
  char *s = malloc(la + lb + lc + 1);
  if (!s) return NULL;
  memcpy(s, a, la);
  memcpy(s + la, b, lb);
  memcpy(s + la + lb, c, lc + 1);
  return s;
}

static void describe(const name_ent_t *e, char *buf, size_t len) {
  if (e->owner_kind)
    snprintf(buf, len, "the %s of %s '%s'", e->role, e->owner_kind, e->owner);
  else
    snprintf(buf, len, "jzsim's %s", e->role);
}

bool jz_simgrid_has_storage_ports(const jz_platform_t *p, int i) {
  jz_topology_t t = p->fabrics[p->partitions[i].fabric].topology;
  return t == JZ_TOPO_TORUS || t == JZ_TOPO_DRAGONFLY;
}

/* Index of the partition whose host (or storage port) is called `name` ("<partition>-<i>" or
 * "<partition>-io-<i>", i < nodes), or -1. */
static int partition_host(const jz_platform_t *p, const char *name, long *node, bool *port) {
  static const char infix[] = JZ_SIMGRID_PORTS_SUFFIX "-";
  for (int i = 0; i < p->n_partitions; i++) {
    size_t l = strlen(p->partitions[i].name);
    if (strncmp(name, p->partitions[i].name, l) != 0 || name[l] != '-') continue;
    const char *d = name + l + 1;
    *port = jz_simgrid_has_storage_ports(p, i) && !strncmp(name + l, infix, sizeof infix - 1);
    if (*port) d = name + l + sizeof infix - 1;
    if (!*d || (d[0] == '0' && d[1])) continue; /* radical hosts have no leading zeros */
    long v = 0;
    for (; *d >= '0' && *d <= '9' && v <= INT32_MAX; d++) v = v * 10 + (*d - '0');
    if (*d || v >= p->partitions[i].nodes) continue;
    *node = v;
    return i;
  }
  return -1;
}

static int clash(const jz_platform_t *p, const name_ent_t *a, const name_ent_t *b, jz_error_t *err) {
  /* Blame the user's element (b if it has an owner, else a): our own names are fixed. */
  const name_ent_t *blame = b->owner_kind ? b : a, *other = blame == b ? a : b;
  char d[200];
  describe(other, d, sizeof d);
  return jz_error_at(err, -JZ_EINVAL, p->path, blame->pos.line, blame->pos.col,
                     "%s '%s': SimGrid name '%s' is already %s; rename the %s", blame->owner_kind,
                     blame->owner, blame->name, d, blame->owner_kind);
}

static int check_names(const jz_platform_t *p, const cluster_info_t *ci, jz_error_t *err) {
  size_t cap = 8 + 5 * (size_t)p->n_partitions + 2 * (size_t)p->n_storage, n = 0;
  name_ent_t *e = calloc(cap, sizeof *e);
  int rc = 0;
  if (!e) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
#define ADD(nm, ok, own, rl, ps, lk) \
  e[n++] = (name_ent_t) { .name = (nm), .owner_kind = (ok), .owner = (own), .role = (rl), .pos = (ps), .is_link = (lk) }
  const jz_srcpos_t nopos = {0, 0};
  ADD(strdup(TOP_ZONE), NULL, NULL, "top zone", nopos, false);
  ADD(strdup(SERVICES_ZONE), NULL, NULL, "services zone", nopos, false);
  ADD(strdup(SERVICES_ROUTER), NULL, NULL, "services router", nopos, false);
  ADD(strdup(JZ_SIMGRID_CONTROLLER), NULL, NULL, "controller host", nopos, false);
  ADD(strdup(CONTROLLER_LINK), NULL, NULL, "controller link", nopos, true);
  for (int i = 0; i < p->n_partitions; i++) {
    const jz_partition_t *q = &p->partitions[i];
    ADD(strdup(q->name), "partition", q->name, "zone", q->pos, false);
    if (!strcmp(ci[i].topo, "FLAT")) ADD(strdup(ci[i].gateway), "partition", q->name, "router", q->pos, false);
    ADD(xstrcat3(q->name, "-uplink", ""), "partition", q->name, "uplink", q->pos, true);
    if (ci[i].ports) {
      ADD(xstrcat3(q->name, JZ_SIMGRID_PORTS_SUFFIX, ""), "partition", q->name, "storage ports zone", q->pos, false);
      ADD(strdup(ci[i].ports_gateway), "partition", q->name, "storage ports router", q->pos, false);
    }
  }
  for (int i = 0; i < p->n_storage; i++) {
    const jz_storage_t *s = &p->storage[i];
    ADD(strdup(s->name), "storage tier", s->name, "host", s->pos, false);
    ADD(xstrcat3(s->name, "-link", ""), "storage tier", s->name, "link", s->pos, true);
  }
#undef ADD
  for (size_t i = 0; i < n && rc == 0; i++)
    if (!e[i].name) rc = jz_error_set(err, -JZ_ENOMEM, "out of memory");
  for (size_t j = 0; j < n && rc == 0; j++) {
    for (size_t i = 0; i < j && rc == 0; i++)
      if (e[i].is_link == e[j].is_link && !strcmp(e[i].name, e[j].name)) rc = clash(p, &e[i], &e[j], err);
    long node;
    int q;
    bool port;
    if (rc == 0 && !e[j].is_link && (q = partition_host(p, e[j].name, &node, &port)) >= 0) {
      char d[160];
      const name_ent_t *b = &e[j];
      if (!b->owner_kind) /* one of our fixed names: blame the partition */
        rc = jz_error_at(err, -JZ_EINVAL, p->path, p->partitions[q].pos.line, p->partitions[q].pos.col,
                         "partition '%s': its %s %ld would be called '%s', which is %s",
                         p->partitions[q].name, port ? "storage port" : "host", node, b->name,
                         (describe(b, d, sizeof d), d));
      else
        rc = jz_error_at(err, -JZ_EINVAL, p->path, b->pos.line, b->pos.col,
                         "%s '%s': SimGrid name '%s' is already %s %ld of partition '%s'; rename the %s",
                         b->owner_kind, b->owner, b->name, port ? "storage port" : "host", node,
                         p->partitions[q].name, b->owner_kind);
    }
  }
  for (size_t i = 0; i < n; i++) free(e[i].name);
  free(e);
  return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Clusters                                                                                   */

/* A fat tree becomes a FLAT cluster (which, unlike SimGrid 3.32's FAT_TREE clusters, has a
 * router for other zones) whose hosts keep their own links (links_per_node x rate) and share
 * one backbone standing for the switch levels. Its bandwidth is that of the narrowest level
 * that traffic can cross: below the first level with a single switch (nothing goes above
 * it), level i sends nodes(i) x up[i] x parallel[i] links upward, each at the cluster's link
 * bandwidth as in SimGrid's FatTreeZone. Its latency makes a host-to-host route as long as
 * the tree's longest one (2 links per switch level crossed). A fat tree whose narrowest level
 * carries one link per host (jzsim's default parameters) gets nodes x injection: every node
 * can send and receive at its own rate at once, as in a non-blocking tree; fewer links model
 * an oversubscribed one. What is lost: a flow between two hosts of one leaf switch pays the
 * backbone too. Parameters were validated by the platform reader. */
static void plan_backbone(const jz_platform_t *p, const jz_partition_t *q, cluster_info_t *ci) {
  enum { MAXV = 16 };
  long lv[3][MAXV];
  const char *s = ci->params;
  char *end;
  long levels = strtol(s, &end, 10);
  if (levels > MAXV) levels = MAXV;
  for (int f = 0; f < 3; f++)
    for (long i = 0; i < levels; i++) {
      s = end + 1; /* skip the ';' or ',' */
      lv[f][i] = strtol(s, &end, 10);
    }
  double nodes = q->nodes, narrowest = -1;
  int top = (int)levels; /* highest switch level a route climbs to */
  for (int i = 0; i < levels; i++) {
    double up_links = nodes * (double)lv[1][i] * (double)lv[2][i];
    if (i > 0 && (narrowest < 0 || up_links < narrowest)) narrowest = up_links;
    nodes = nodes * (double)lv[1][i] / (double)lv[0][i];
    if (nodes <= 1) {
      top = i + 1;
      break;
    }
  }
  const jz_fabric_t *f = &p->fabrics[q->fabric];
  if (top > 1 && narrowest > 0) {
    ci->bb_bw = narrowest * q->links_per_node * f->bandwidth;
    ci->bb_lat = (2.0 * top - 2) * f->latency;
  }
}

static int plan_cluster(const jz_platform_t *p, int i, cluster_info_t *ci, jz_error_t *err) {
  /* Fat trees are written FLAT with a backbone (plan_backbone). */
  static const char *const topo[] = {"FLAT", "FLAT", "TORUS", "DRAGONFLY"};
  const jz_partition_t *q = &p->partitions[i];
  const jz_fabric_t *f = &p->fabrics[q->fabric];
  ci->topo = topo[f->topology];
  ci->params[0] = '\0';
  ci->fat_tree = f->topology == JZ_TOPO_FAT_TREE;
  ci->bb_bw = ci->bb_lat = 0;
  if (f->topology == JZ_TOPO_FLAT || ci->fat_tree) {
    snprintf(ci->gateway, sizeof ci->gateway, "%s-%s_router", q->name, q->name);
    if (f->topology == JZ_TOPO_FLAT) return 0;
  } else {
    snprintf(ci->gateway, sizeof ci->gateway, "%s-0", q->name);
    ci->ports = true;
    snprintf(ci->ports_gateway, sizeof ci->ports_gateway, "%s" JZ_SIMGRID_PORTS_SUFFIX "-%s" JZ_SIMGRID_PORTS_SUFFIX "_router",
             q->name, q->name);
  }
  if (f->topology_parameters) {
    long hosts;
    char why[160];
    if (strlen(f->topology_parameters) >= sizeof ci->params ||
        jz_platform_topology_hosts(f->topology, f->topology_parameters, &hosts, why, sizeof why) < 0)
      return jz_error_at(err, -JZ_ESYNTAX, p->path, f->pos.line, f->pos.col,
                         "fabric '%s': bad %s 'topology_parameters' '%s'", f->name,
                         jz_platform_topology_name(f->topology), f->topology_parameters);
    if (hosts != q->nodes)
      return jz_error_at(err, -JZ_EINVAL, p->path, q->pos.line, q->pos.col,
                         "partition '%s': fabric '%s' topology_parameters '%s' describe %ld hosts, not %d",
                         q->name, f->name, f->topology_parameters, hosts, q->nodes);
    snprintf(ci->params, sizeof ci->params, "%s", f->topology_parameters);
    if (ci->fat_tree) plan_backbone(p, q, ci);
    return 0;
  }
  if (f->topology != JZ_TOPO_FAT_TREE)
    return jz_error_at(err, -JZ_EINVAL, p->path, f->pos.line, f->pos.col,
                       "fabric '%s': topology '%s' needs 'topology_parameters'", f->name,
                       jz_platform_topology_name(f->topology));
  if (jz_platform_fat_tree_params(q->nodes, ci->params, sizeof ci->params) < 0)
    return jz_error_at(err, -JZ_ERANGE, p->path, q->pos.line, q->pos.col,
                       "partition '%s': no 2-level fat-tree fits %d nodes with at most %d per leaf "
                       "switch; set 'topology_parameters' on fabric '%s' or use topology flat",
                       q->name, q->nodes, JZ_FAT_TREE_MAX_LEAF, f->name);
  plan_backbone(p, q, ci);
  return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Output                                                                                     */

static void esc(FILE *out, const char *s) {
  for (; *s; s++) switch (*s) {
    case '&': fputs("&amp;", out); break;
    case '<': fputs("&lt;", out); break;
    case '>': fputs("&gt;", out); break;
    case '"': fputs("&quot;", out); break;
    case '\'': fputs("&apos;", out); break;
    default: fputc(*s, out);
    }
}

static const char *num(double v, char *buf) { return jz_units_fmt_double(v, buf); }

static void prop(FILE *out, const char *indent, const char *id, const char *value) {
  fprintf(out, "%s<prop id=\"", indent);
  esc(out, id);
  fputs("\" value=\"", out);
  esc(out, value);
  fputs("\"/>\n", out);
}

static void zero_power(FILE *out, const char *indent) {
  /* Storage and controller hosts draw no modelled power; saying so keeps SimGrid's energy
   * plugin from warning about hosts without a profile. */
  prop(out, indent, "wattage_per_state", "0:0:0");
  prop(out, indent, "wattage_off", "0");
}

static void write_cluster(const jz_platform_t *p, int i, const cluster_info_t *ci, FILE *out) {
  const jz_partition_t *q = &p->partitions[i];
  const jz_node_type_t *t = &p->node_types[q->node_type];
  const jz_fabric_t *f = &p->fabrics[q->fabric];
  char a[32], b[32], c[32];
  /* No names in the comments: a "--" in one would end it. */
  if (ci->fat_tree)
    fprintf(out, "    <!-- fat tree %s as a flat cluster with a backbone of its narrowest level"
            " (SimGrid 3.32 gives FAT_TREE clusters no router) -->\n", ci->params);
  else if (ci->ports)
    fputs("    <!-- no router for this topology in SimGrid 3.32: its zoneRoute goes through its"
          " host 0; storage traffic uses the storage ports that follow -->\n", out);
  fputs("    <cluster id=\"", out);
  esc(out, q->name);
  fputs("\" prefix=\"", out);
  esc(out, q->name);
  fprintf(out, "-\" suffix=\"\" radical=\"0-%d\" speed=\"%sf\" core=\"%d\" bw=\"%sBps\" lat=\"%ss\" topology=\"%s\"",
          q->nodes - 1, num(t->core_speed > 0 ? t->core_speed : DEFAULT_SPEED, a), t->cores,
          num(q->links_per_node * f->bandwidth, b), num(f->latency, c), ci->topo);
  if (ci->bb_bw > 0) fprintf(out, " bb_bw=\"%sBps\" bb_lat=\"%ss\"", num(ci->bb_bw, a), num(ci->bb_lat, c));
  else if (ci->params[0] && !ci->fat_tree) fprintf(out, " topo_parameters=\"%s\"", ci->params);
  fputs(">\n", out);
  const char *in = "      ";
  prop(out, in, "node_type", t->name);
  if (t->memory > 0) prop(out, in, "memory", num(t->memory, a));
  if (t->gpus > 0) {
    snprintf(a, sizeof a, "%d", t->gpus);
    prop(out, in, "gpus", a);
    prop(out, in, "gpu_model", t->gpu_model ? t->gpu_model : "");
    if (t->gpu_speed > 0) prop(out, in, "gpu_speed", num(t->gpu_speed, a));
    if (t->gpu_memory > 0) prop(out, in, "gpu_memory", num(t->gpu_memory, a));
  }
  if (t->has_power) {
    /* Idle:Epsilon:AllCores with Epsilon = Idle: power grows linearly with busy cores. Nodes
     * switched off draw nothing in this model. */
    char w[100];
    snprintf(w, sizeof w, "%s:%s:%s", num(t->power_idle, a), num(t->power_idle, b),
             num(t->power_max, c));
    prop(out, in, "wattage_per_state", w);
    prop(out, in, "wattage_off", "0");
  }
  fputs("    </cluster>\n", out);
  if (!ci->ports) return;
  /* Storage ports (simgrid_xml.h): port k stands for node k's network interface towards the
   * tiers, at its injection bandwidth and the fabric's latency. They compute nothing and draw
   * no modelled power. */
  fputs("    <cluster id=\"", out);
  esc(out, q->name);
  fputs(JZ_SIMGRID_PORTS_SUFFIX "\" prefix=\"", out);
  esc(out, q->name);
  fprintf(out, JZ_SIMGRID_PORTS_SUFFIX "-\" suffix=\"\" radical=\"0-%d\" speed=\"%sf\" core=\"1\" bw=\"%sBps\" lat=\"%ss\" topology=\"FLAT\">\n",
          q->nodes - 1, num(STORAGE_HOST_SPEED, a), num(q->links_per_node * f->bandwidth, b),
          num(f->latency, c));
  zero_power(out, in);
  fputs("    </cluster>\n", out);
}

static void write_link(FILE *out, const char *indent, const char *id, const char *suffix, double bw,
                       double lat) {
  char a[32], b[32];
  fprintf(out, "%s<link id=\"", indent);
  esc(out, id);
  esc(out, suffix);
  fprintf(out, "\" bandwidth=\"%sBps\" latency=\"%ss\"/>\n", num(bw, a), num(lat, b));
}

/* <route> or <zoneRoute> through the given links (name + suffix pairs). */
static void write_route(FILE *out, const char *tag, const char *src, const char *dst,
                        const char *gw_src, const char *gw_dst, const char *l1, const char *s1,
                        const char *l2, const char *s2) {
  fprintf(out, "%s<%s src=\"", gw_src ? "    " : "      ", tag);
  esc(out, src);
  fputs("\" dst=\"", out);
  esc(out, dst);
  if (gw_src) {
    fputs("\" gw_src=\"", out);
    esc(out, gw_src);
    fputs("\" gw_dst=\"", out);
    esc(out, gw_dst);
  }
  fputs("\"><link_ctn id=\"", out);
  esc(out, l1);
  esc(out, s1);
  if (l2) {
    fputs("\"/><link_ctn id=\"", out);
    esc(out, l2);
    esc(out, s2);
  }
  fprintf(out, "\"/></%s>\n", tag);
}

static void write_services(const jz_platform_t *p, FILE *out) {
  char a[32], b[32];
  fputs("    <zone id=\"" SERVICES_ZONE "\" routing=\"Full\">\n", out);
  fputs("      <router id=\"" SERVICES_ROUTER "\"/>\n", out);
  for (int i = 0; i < p->n_storage; i++) {
    const jz_storage_t *s = &p->storage[i];
    fputs("      <host id=\"", out);
    esc(out, s->name);
    fprintf(out, "\" speed=\"%sf\">\n", num(STORAGE_HOST_SPEED, a));
    prop(out, "        ", "storage_kind", jz_platform_storage_kind_name(s->kind));
    if (s->mount_latency > 0) prop(out, "        ", "mount_latency", num(s->mount_latency, a));
    zero_power(out, "        ");
    fputs("        <disk id=\"", out);
    esc(out, s->name);
    fprintf(out, "-disk\" read_bw=\"%sBps\" write_bw=\"%sBps\">\n", num(s->read_bandwidth, a),
            num(s->write_bandwidth, b));
    /* With its unit: SimGrid's file-system plugin parses this as a size. */
    snprintf(b, sizeof b, "%sB", num(s->capacity, a));
    prop(out, "          ", "size", b);
    fputs("          <prop id=\"mount\" value=\"/", out);
    esc(out, s->name);
    fputs("\"/>\n        </disk>\n      </host>\n", out);
  }
  fprintf(out, "      <host id=\"%s\" speed=\"%sf\">\n", JZ_SIMGRID_CONTROLLER, num(CONTROLLER_SPEED, a));
  zero_power(out, "        ");
  fputs("      </host>\n", out);
  /* One link per tier at its larger direction; the disk itself caps reads and writes. */
  for (int i = 0; i < p->n_storage; i++) {
    const jz_storage_t *s = &p->storage[i];
    double bw = s->read_bandwidth > s->write_bandwidth ? s->read_bandwidth : s->write_bandwidth;
    write_link(out, "      ", s->name, "-link", bw, 0);
  }
  write_link(out, "      ", CONTROLLER_LINK, "", CONTROLLER_BW, 0);
  for (int i = 0; i < p->n_storage; i++)
    write_route(out, "route", SERVICES_ROUTER, p->storage[i].name, NULL, NULL, p->storage[i].name,
                "-link", NULL, NULL);
  write_route(out, "route", SERVICES_ROUTER, JZ_SIMGRID_CONTROLLER, NULL, NULL, CONTROLLER_LINK, "",
              NULL, NULL);
  for (int i = 0; i < p->n_storage; i++) {
    for (int j = i + 1; j < p->n_storage; j++)
      write_route(out, "route", p->storage[i].name, p->storage[j].name, NULL, NULL,
                  p->storage[i].name, "-link", p->storage[j].name, "-link");
    write_route(out, "route", p->storage[i].name, JZ_SIMGRID_CONTROLLER, NULL, NULL,
                p->storage[i].name, "-link", CONTROLLER_LINK, "");
  }
  fputs("    </zone>\n", out);
}

int jz_simgrid_xml_write(const jz_platform_t *p, FILE *out, jz_error_t *err) {
  if (!p || p->n_partitions <= 0) return jz_error_set(err, -JZ_EINVAL, "platform has no partition");
  cluster_info_t *ci = calloc((size_t)p->n_partitions, sizeof *ci);
  if (!ci) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  int rc = 0;
  for (int i = 0; i < p->n_partitions && rc == 0; i++) rc = plan_cluster(p, i, &ci[i], err);
  if (rc == 0) rc = check_names(p, ci, err);
  if (rc < 0) {
    free(ci);
    return rc;
  }
  fputs("<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
        "<!-- Generated by jzsim from a platform YAML file; edit that file, not this one. -->\n"
        "<platform version=\"4.1\">\n"
        "  <zone id=\"" TOP_ZONE "\" routing=\"DijkstraCache\">\n",
        out);
  for (int i = 0; i < p->n_partitions; i++) write_cluster(p, i, &ci[i], out);
  write_services(p, out);
  for (int i = 0; i < p->n_partitions; i++) {
    const jz_partition_t *q = &p->partitions[i];
    const jz_fabric_t *f = &p->fabrics[q->fabric];
    write_link(out, "    ", q->name, "-uplink", (double)q->nodes * q->links_per_node * f->bandwidth,
               f->latency);
  }
  for (int i = 0; i < p->n_partitions; i++) {
    const char *pi = p->partitions[i].name;
    write_route(out, "zoneRoute", pi, SERVICES_ZONE, ci[i].gateway, SERVICES_ROUTER, pi, "-uplink",
                NULL, NULL);
    if (ci[i].ports) {
      char *zone = xstrcat3(pi, JZ_SIMGRID_PORTS_SUFFIX, "");
      if (!zone) {
        free(ci);
        return jz_error_set(err, -JZ_ENOMEM, "out of memory");
      }
      write_route(out, "zoneRoute", zone, SERVICES_ZONE, ci[i].ports_gateway, SERVICES_ROUTER, pi,
                  "-uplink", NULL, NULL);
      free(zone);
    }
  }
  fputs("  </zone>\n</platform>\n", out);
  free(ci);
  if (ferror(out)) return jz_error_set(err, -JZ_EIO, "cannot write the SimGrid platform");
  return 0;
}

int jz_simgrid_xml_tempfile(const jz_platform_t *p, char **path_out, jz_error_t *err) {
  *path_out = NULL;
  const char *dir = getenv("TMPDIR");
  if (!dir || !*dir) dir = "/tmp";
  char *path = xstrcat3(dir, "/jzsim-platform-", "XXXXXX");
  if (!path) return jz_error_set(err, -JZ_ENOMEM, "out of memory");
  int fd = mkstemp(path);
  if (fd < 0) {
    int e = errno;
    jz_error_at(err, -JZ_EIO, path, 0, 0, "cannot create: %s", strerror(e));
    free(path);
    return -JZ_EIO;
  }
  FILE *f = fdopen(fd, "w");
  if (!f) {
    int e = errno;
    close(fd);
    unlink(path);
    jz_error_at(err, -JZ_EIO, path, 0, 0, "cannot open: %s", strerror(e));
    free(path);
    return -JZ_EIO;
  }
  int rc = jz_simgrid_xml_write(p, f, err);
  if (fclose(f) != 0 && rc == 0) rc = jz_error_at(err, -JZ_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
  if (rc < 0) {
    unlink(path);
    free(path);
    return rc;
  }
  *path_out = path;
  return 0;
}
