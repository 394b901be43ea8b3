package report

import (
	"fmt"

	"cchc/internal/locale"
	"cchc/internal/progress"
)

// Chart is the bar chart of items published a month, laid out here so
// that the template only places shapes: an SVG in the page, no script.
type Chart struct {
	Width, Height int
	Bars          []Bar
	Ticks         []Tick
	Labels        []Tick // month names under the bars
	// TargetY is the height of the article target line; 0 when none.
	// TargetLabel names it in the figure's caption, not over the plot,
	// where it lay across the tallest bars.
	TargetY     int
	TargetLabel string
	Left, Right int // plot area, for the axis and target line
	Base        int // y of the axis
}

// Bar is one bar.
type Bar struct {
	X, Y, W, H int
	Value      int
	Class      string // "bar-items" or "bar-articles"
	Title      string // read by screen readers and shown on hover
}

// Tick is a label on an axis.
type Tick struct {
	X, Y int
	Text string
}

const (
	chartW, chartH        = 760, 280
	chartLeft, chartRight = 44, 752
	chartTop, chartBase   = 16, 244
)

func newChart(r *progress.Report) Chart {
	c := Chart{Width: chartW, Height: chartH, Left: chartLeft, Right: chartRight, Base: chartBase}
	top := 1
	for _, m := range r.Months {
		top = max(top, m.Items, m.Articles, m.Target)
	}
	// Round the scale up to an even number so the ticks are whole.
	if top%2 == 1 {
		top++
	}
	scale := func(v int) int { return v * (chartBase - chartTop) / top }
	for i := 0; i <= 4; i++ {
		v := top * i / 4
		c.Ticks = append(c.Ticks, Tick{X: chartLeft - 6, Y: chartBase - scale(v) + 4, Text: fmt.Sprint(v)})
	}
	group := (chartRight - chartLeft) / 12
	for i, m := range r.Months {
		x := chartLeft + i*group + 6
		w := (group - 16) / 2
		c.Bars = append(c.Bars,
			Bar{X: x, Y: chartBase - scale(m.Items), W: w, H: scale(m.Items), Value: m.Items, Class: "bar-items",
				Title: locale.T("report.chart.items", m.Month, m.Items)},
			Bar{X: x + w + 2, Y: chartBase - scale(m.Articles), W: w, H: scale(m.Articles), Value: m.Articles, Class: "bar-articles",
				Title: locale.T("report.chart.articles", m.Month, progress.Count2(m.Articles))})
		// Far enough below the axis for the larger type a phone gets
		// (report.css) to stay clear of the bars.
		c.Labels = append(c.Labels, Tick{X: x + w, Y: chartBase + 24, Text: fmt.Sprintf("T%d", m.Month)})
	}
	if len(r.Months) > 0 && r.Months[0].Target > 0 {
		c.TargetY = chartBase - scale(r.Months[0].Target)
		c.TargetLabel = locale.T("report.chart.target", r.Months[0].Target)
	}
	return c
}
