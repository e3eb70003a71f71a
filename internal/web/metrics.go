package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/hearth-org/hearth/internal/app"
)

// metrics are Hearth's Prometheus series: requests by route (the pattern,
// never the path a person typed), latency, and the database pools. Nothing
// personal is ever a label.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

func newMetrics(reg *prometheus.Registry, pools func() map[string]PoolStats) *metrics {
	m := &metrics{
		reg: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hearth_http_requests_total", Help: "HTTP requests by route pattern, method and status code.",
		}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "hearth_http_request_duration_seconds", Help: "HTTP request latency by route pattern.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route"}),
	}
	reg.MustRegister(m.requests, m.latency, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if pools != nil {
		reg.MustRegister(&poolCollector{pools: pools})
	}
	return m
}

func (m *metrics) observe(route string, status int, d time.Duration) {
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route).Observe(d.Seconds())
}

func (m *metrics) handler() http.Handler {
	// A collector that cannot answer (the database is down) leaves out its
	// series; the others are still served.
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}

var (
	poolOpen   = prometheus.NewDesc("hearth_db_connections_open", "Open database connections by pool.", []string{"pool"}, nil)
	poolInUse  = prometheus.NewDesc("hearth_db_connections_in_use", "Database connections in use by pool.", []string{"pool"}, nil)
	poolIdle   = prometheus.NewDesc("hearth_db_connections_idle", "Idle database connections by pool.", []string{"pool"}, nil)
	poolWaits  = prometheus.NewDesc("hearth_db_waits_total", "Times a query waited for a connection, by pool.", []string{"pool"}, nil)
	poolWaited = prometheus.NewDesc("hearth_db_wait_seconds_total", "Time spent waiting for a connection, by pool.", []string{"pool"}, nil)
)

type poolCollector struct{ pools func() map[string]PoolStats }

func (c *poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{poolOpen, poolInUse, poolIdle, poolWaits, poolWaited} {
		ch <- d
	}
}

func (c *poolCollector) Collect(ch chan<- prometheus.Metric) {
	for name, st := range c.pools() {
		ch <- prometheus.MustNewConstMetric(poolOpen, prometheus.GaugeValue, float64(st.Open), name)
		ch <- prometheus.MustNewConstMetric(poolInUse, prometheus.GaugeValue, float64(st.InUse), name)
		ch <- prometheus.MustNewConstMetric(poolIdle, prometheus.GaugeValue, float64(st.Idle), name)
		ch <- prometheus.MustNewConstMetric(poolWaits, prometheus.CounterValue, float64(st.WaitCount), name)
		ch <- prometheus.MustNewConstMetric(poolWaited, prometheus.CounterValue, st.WaitDuration.Seconds(), name)
	}
}

// OutboxCollector reports the email outbox by status at each scrape:
// hearth_outbox_messages{status="pending|sending|sent|failed"}. Register it
// on the Registry given to NewHandler (serve does). Only counts: no
// address, recipient or text is ever a label.
func OutboxCollector(a *app.App) prometheus.Collector {
	return &outboxCollector{stats: a.OutboxStats}
}

var outboxMessages = prometheus.NewDesc("hearth_outbox_messages", "Emails in the outbox by status (pending: waiting for an attempt; sending: claimed by a worker; sent: kept 30 days; failed: given up).", []string{"status"}, nil)

type outboxCollector struct {
	stats func(context.Context) (app.OutboxStats, error)
}

var outboxOldest = prometheus.NewDesc("hearth_outbox_oldest_pending_age_seconds", "How long the longest-waiting pending email has waited (0 when none waits); a growing value means mail is stuck.", nil, nil)

func (c *outboxCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- outboxMessages
	ch <- outboxOldest
}

func (c *outboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	st, err := c.stats(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(outboxMessages, err)
		ch <- prometheus.NewInvalidMetric(outboxOldest, err)
		return
	}
	ch <- prometheus.MustNewConstMetric(outboxOldest, prometheus.GaugeValue, st.OldestPending.Seconds())
	for _, s := range []struct {
		status string
		n      int
	}{{"pending", st.Pending}, {"sending", st.Sending}, {"sent", st.Sent}, {"failed", st.Failed}} {
		ch <- prometheus.MustNewConstMetric(outboxMessages, prometheus.GaugeValue, float64(s.n), s.status)
	}
}
