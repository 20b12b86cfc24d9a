package model

import (
	"time"

	"gorm.io/gorm"
)

// AlertDay is one day's job alerts sent by one channel, and what came of them: how many workers opened the gig
// from the alert, and how many applied to it afterwards.
type AlertDay struct {
	Day     string
	Channel string
	Sent    int
	Opened  int
	Applied int
}

// alertStats counts the alerts sent in [start, end) for gigs of the area, per day and channel.
func alertStats(db *gorm.DB, start, end time.Time, inArea func(*gorm.DB, string) *gorm.DB, out *Stats) error {
	q := db.Table("alert_deliveries").
		Select("alert_deliveries.sent_day AS day, alert_deliveries.channel AS channel, COUNT(*) AS sent, "+
			"SUM(CASE WHEN alert_deliveries.opened_at IS NOT NULL THEN 1 ELSE 0 END) AS opened, "+
			"SUM(CASE WHEN applications.id IS NOT NULL THEN 1 ELSE 0 END) AS applied").
		Joins("JOIN gigs ON gigs.id = alert_deliveries.gig_id").
		// Applied is counted here rather than written by each application: the dawn rush applies hundreds of
		// times a second, and a worker has one application per gig (a unique key), so the join is one row.
		Joins("LEFT JOIN applications ON applications.gig_id = alert_deliveries.gig_id AND "+
			"applications.worker_id = alert_deliveries.worker_id AND applications.created_at >= alert_deliveries.sent_at").
		Where("alert_deliveries.status = ? AND alert_deliveries.sent_day >= ? AND alert_deliveries.sent_day < ?",
			AlertSent, start.Format(dateLayout), end.Format(dateLayout)).
		Group("alert_deliveries.sent_day, alert_deliveries.channel").Order("day, channel")
	return dbErr(inArea(q, "gigs.area_code").Scan(&out.Alerts).Error)
}
