package model_test

import (
	"context"
	"testing"

	"lingong/model"
	"lingong/model/modeltest"
)

// Every model must find each of its columns in the migrated schema: a field added to a model without a
// migration fails here rather than in production.
func TestModelsMatchMigrations(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		for _, m := range model.AllModels() {
			stmt := s.DB.Model(m).Statement
			if err := stmt.Parse(m); err != nil {
				t.Fatal(err)
			}
			if !s.DB.Migrator().HasTable(m) {
				t.Errorf("no table %s", stmt.Schema.Table)
				continue
			}
			for _, f := range stmt.Schema.Fields {
				if f.DBName != "" && !s.DB.Migrator().HasColumn(m, f.DBName) {
					t.Errorf("table %s lacks column %s", stmt.Schema.Table, f.DBName)
				}
			}
		}
	})
}

func TestMigrateIsIdempotent(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		applied, err := s.Migrate(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(applied) != 0 {
			t.Fatalf("second migration applied %v", applied)
		}
	})
}
