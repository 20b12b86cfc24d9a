package model

import (
	"context"
	"errors"
	"testing"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

type tracedStatements struct {
	logger.Interface
	traced []string
}

func (t *tracedStatements) Trace(_ context.Context, _ time.Time, fc func() (string, int64), _ error) {
	sql, _ := fc()
	t.traced = append(t.traced, sql)
}

// Failed and slow statements reach the log; a quick one that worked, or that a unique key turned away, is not
// even spelled out.
func TestStatementLogKeepsWhatItWritesDown(t *testing.T) {
	inner := &tracedStatements{Interface: logger.Discard}
	log := statementLog{Interface: inner}
	spelled := 0
	statement := func(sql string) func() (string, int64) {
		return func() (string, int64) { spelled++; return sql, 1 }
	}
	log.Trace(context.Background(), time.Now(), statement("quick"), nil)
	log.Trace(context.Background(), time.Now(), statement("failed"), errors.New("deadlock"))
	log.Trace(context.Background(), time.Now(), statement("turned away by a unique key"), gorm.ErrDuplicatedKey)
	log.Trace(context.Background(), time.Now().Add(-2*slowStatement), statement("slow"), nil)
	if spelled != 2 || len(inner.traced) != 2 || inner.traced[0] != "failed" || inner.traced[1] != "slow" {
		t.Fatalf("spelled %d, logged %v", spelled, inner.traced)
	}
}
