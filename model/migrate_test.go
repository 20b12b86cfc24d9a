package model_test

import (
	"context"
	"fmt"
	"slices"
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

// Migration 31 gives the pushes sent before it their area: a segment's gig's, else the sender's staff area,
// and "" (admins only) for a sender who is not staff.
func TestMigrationGivesEarlierPushesTheirArea(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		emp := newEmployer(t, s, "boss", "340104")
		gig := publishedGig(t, s, emp, 1, model.HireSelect)
		if err := s.DB.Create(&model.StaffMember{UserID: 5001, Name: "合肥", AreaCode: "340100", CreatedAt: s.Now()}).Error; err != nil {
			t.Fatal(err)
		}
		pushes := []model.Push{
			{StaffID: 5001, TemplateKey: model.MsgGigCancelled, Audience: `{"user_ids":[1]}`, CreatedAt: s.Now()},
			{StaffID: 5001, TemplateKey: model.MsgGigCancelled, Audience: fmt.Sprintf(`{"segment":"gig_confirmed","gig_id":%d}`, gig.ID), CreatedAt: s.Now()},
			{StaffID: admin.UserID, TemplateKey: model.MsgGigCancelled, Audience: `{"user_ids":[1]}`, CreatedAt: s.Now()},
		}
		if err := s.DB.Create(&pushes).Error; err != nil {
			t.Fatal(err)
		}
		// The schema as it was before the step.
		if err := s.DB.Migrator().DropIndex(&model.Push{}, "idx_pushes_area_code"); err != nil {
			t.Fatal(err)
		}
		if err := s.DB.Exec("ALTER TABLE pushes DROP COLUMN area_code").Error; err != nil {
			t.Fatal(err)
		}
		if err := s.DB.Exec("DELETE FROM schema_migrations WHERE version = 31").Error; err != nil {
			t.Fatal(err)
		}
		applied, err := s.Migrate(context.Background())
		if err != nil || len(applied) != 1 || applied[0] != 31 {
			t.Fatalf("applied %v, %v; want 31", applied, err)
		}
		var areas []string
		if err := s.DB.Model(&model.Push{}).Order("id").Pluck("area_code", &areas).Error; err != nil {
			t.Fatal(err)
		}
		if want := []string{"340100", "340104", ""}; !slices.Equal(areas, want) {
			t.Fatalf("areas %q; want %q", areas, want)
		}
	})
}
