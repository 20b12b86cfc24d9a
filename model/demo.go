package model

import (
	"context"
	"fmt"
)

// DemoAdminOpenID is the demo admin; with the dev WeChat, login code "admin" signs in as them.
const DemoAdminOpenID = "dev-admin"

// SeedDemo loads the demo data once: when the demo admin exists, it has run before and does nothing.
// With the dev WeChat, the login codes admin, staff (合肥), worker, employer1…employer3 sign in as the people
// below.
func (s *Store) SeedDemo(ctx context.Context) error {
	var n int64
	if err := s.DB.WithContext(ctx).Model(&User{}).Where("open_id = ?", DemoAdminOpenID).Count(&n).Error; err != nil {
		return dbErr(err)
	}
	if n > 0 {
		return nil
	}
	admin, err := s.findOrCreateUser(ctx, DemoAdminOpenID, "")
	if err != nil {
		return err
	}
	if err := s.GrantRole(ctx, admin.ID, RoleAdmin); err != nil {
		return err
	}
	scope := Scope{All: true, UserID: admin.ID}

	for _, g := range []WageGuideInput{
		{CategoryID: 1, AreaCode: "340100", Period: "2026", LowCents: 180_00, MedianCents: 230_00, HighCents: 320_00},
		{CategoryID: 2, AreaCode: "340100", Period: "2026", LowCents: 130_00, MedianCents: 160_00, HighCents: 220_00},
		{CategoryID: 4, AreaCode: "340100", Period: "2026", LowCents: 200_00, MedianCents: 260_00, HighCents: 350_00},
		{CategoryID: 1, AreaCode: "340400", Period: "2026", LowCents: 160_00, MedianCents: 200_00, HighCents: 280_00},
	} {
		if _, err := s.PublishWageGuide(ctx, scope, g); err != nil {
			return fmt.Errorf("wage guide: %w", err)
		}
	}

	worker, err := s.findOrCreateUser(ctx, "dev-worker", "")
	if err != nil {
		return err
	}
	if _, err := s.BindPhone(ctx, worker.ID, "13955550001"); err != nil {
		return err
	}
	if _, err := s.SaveWorker(ctx, worker.ID, WorkerInput{Name: "王建国", IDNumber: demoIDNumber("340104", "19680512", "153"),
		SkillIDs: []uint64{1, 4, 13}, ExpectedWageCents: 200_00, AvailableDays: 0x7f, AreaCode: "340104",
		Home: &Place{Lat: 31.8610, Lng: 117.2600, Address: "合肥市蜀山区三里庵街道"}}); err != nil {
		return fmt.Errorf("demo worker: %w", err)
	}

	today := s.Now()
	day := func(offset int) string { return today.AddDate(0, 0, offset).Format(dateLayout) }
	employers := []struct {
		openID string
		in     EmployerInput
		gigs   []GigInput
	}{
		{"dev-employer1", EmployerInput{Kind: EmployerCompany, CompanyName: "合肥好帮手家政服务有限公司",
			CreditCode: demoCreditCode("91340104MA2N7K5Q8"), ContactName: "赵经理", ContactPhone: "13955551001", AreaCode: "340104",
			Address: "合肥市蜀山区长江西路 218 号"}, []GigInput{
			{Title: "小区保洁 2 名", CategoryID: 2, Description: "楼道和电梯厅保洁，工具公司提供，包午饭。男女不限。", Headcount: 2,
				WageCents: 160_00, WageUnit: WageDay, Settlement: SettleDaily, StartDate: day(0), EndDate: day(20),
				WorkHours: "07:30-16:30", Address: "合肥市蜀山区三孝口街道 长江中路 419 号", Lat: 31.8659, Lng: 117.2746,
				AreaCode: "340104", ContactPhone: "13955551001", HiringMode: HireFirstCome},
			{Title: "家庭搬家帮工", CategoryID: 1, Description: "两室一厅搬家，三楼无电梯，需能搬重物。", Headcount: 3,
				WageCents: 260_00, WageUnit: WageDay, Settlement: SettleDaily, StartDate: day(1), EndDate: day(1),
				WorkHours: "08:00-17:00", Address: "合肥市蜀山区天鹅湖路与潜山路交口", Lat: 31.8176, Lng: 117.2248,
				AreaCode: "340104", ContactPhone: "13955551001", HiringMode: HireSelect},
		}},
		{"dev-employer2", EmployerInput{Kind: EmployerCompany, CompanyName: "安徽顺达物流有限公司",
			CreditCode: demoCreditCode("91340111MA2P3H6L2"), ContactName: "孙主管", ContactPhone: "13955552002", AreaCode: "340111",
			Address: "合肥市包河区徽州大道 1000 号"}, []GigInput{
			{Title: "快递分拣夜班", CategoryID: 14, Description: "分拣包裹，站立作业，按小时计。", Headcount: 10,
				WageCents: 22_00, WageUnit: WageHour, Settlement: SettleDaily, StartDate: day(0), EndDate: day(29),
				WorkHours: "20:00-23:59", Address: "合肥市包河区万达广场东侧物流园", Lat: 31.8316, Lng: 117.3060,
				AreaCode: "340111", ContactPhone: "13955552002", HiringMode: HireFirstCome},
			{Title: "仓库理货装车", CategoryID: 15, Description: "仓库整理货物、装车，完工后结账。", Headcount: 4,
				WageCents: 230_00, WageUnit: WageDay, Settlement: SettleCompletion, StartDate: day(2), EndDate: day(6),
				WorkHours: "08:00-18:00", Address: "合肥市瑶海区合肥站北广场货运区", Lat: 31.8847, Lng: 117.3090,
				AreaCode: "340102", ContactPhone: "13955552002", HiringMode: HireSelect},
		}},
		{"dev-employer3", EmployerInput{Kind: EmployerPerson, LegalName: "刘德旺", IDNumber: demoIDNumber("340403", "19750308", "271"),
			ContactName: "刘师傅", ContactPhone: "13955553003", AreaCode: "340403", Address: "淮南市田家庵区"}, []GigInput{
			{Title: "装修小工", CategoryID: 4, Description: "搬运材料、清理垃圾，跟着师傅干。", Headcount: 2,
				WageCents: 220_00, WageUnit: WageDay, Settlement: SettleDaily, StartDate: day(0), EndDate: day(10),
				WorkHours: "07:00-17:00", Address: "淮南市田家庵区龙湖公园北侧小区", Lat: 32.6460, Lng: 117.0040,
				AreaCode: "340403", ContactPhone: "13955553003", HiringMode: HireFirstCome},
			{Title: "大棚采摘草莓", CategoryID: 13, Description: "采摘装箱，计件结算，每筐 8 元。", Headcount: 6,
				WageCents: 8_00, WageUnit: WagePiece, Settlement: SettleDaily, StartDate: day(0), EndDate: day(14),
				WorkHours: "06:30-11:30", Address: "淮南市田家庵区淮南站东侧农业园", Lat: 32.6080, Lng: 116.9870,
				AreaCode: "340403", ContactPhone: "13955553003", HiringMode: HireFirstCome},
		}},
	}
	var employerIDs, employerUsers []uint64
	for _, e := range employers {
		u, err := s.findOrCreateUser(ctx, e.openID, "")
		if err != nil {
			return err
		}
		emp, err := s.SaveEmployer(ctx, u.ID, e.in)
		if err != nil {
			return fmt.Errorf("demo employer %s: %w", e.openID, err)
		}
		if _, err := s.DecideEmployer(ctx, scope, emp.ID, true, ""); err != nil {
			return err
		}
		employerIDs, employerUsers = append(employerIDs, emp.ID), append(employerUsers, u.ID)
		for _, in := range e.gigs {
			g, err := s.CreateGig(ctx, u.ID, in)
			if err != nil {
				return fmt.Errorf("demo gig %q: %w", in.Title, err)
			}
			if _, err := s.DecideGig(ctx, scope, g.ID, true, ""); err != nil {
				return err
			}
		}
	}
	if err := s.seedDemoFinishedJob(ctx, scope, employerUsers[0], worker.ID, day); err != nil {
		return err
	}
	if err := s.seedDemoServices(ctx, scope, employerIDs[1], day); err != nil {
		return err
	}
	return s.seedDemoDirectory(ctx, scope, day)
}

// seedDemoFinishedJob gives the demo worker a job done for employer1 yesterday, not yet paid: the step after
// the work (record the pay, confirm it, rate) is there to try. A gig cannot be posted for a past day, so it is
// posted for today and then moved back, as if the expiry job had run overnight.
func (s *Store) seedDemoFinishedJob(ctx context.Context, scope Scope, employerUser, workerID uint64, day func(int) string) error {
	g, err := s.CreateGig(ctx, employerUser, GigInput{Title: "超市理货（昨天）", CategoryID: 15, Description: "夜间理货上架。", Headcount: 1,
		WageCents: 180_00, WageUnit: WageDay, Settlement: SettleDaily, StartDate: day(0), EndDate: day(0), WorkHours: "08:00-16:00",
		Address: "合肥市蜀山区长江西路 218 号", Lat: 31.8600, Lng: 117.2650, AreaCode: "340104", ContactPhone: "13955551001",
		HiringMode: HireSelect})
	if err != nil {
		return fmt.Errorf("demo finished job: %w", err)
	}
	if _, err := s.DecideGig(ctx, scope, g.ID, true, ""); err != nil {
		return err
	}
	app, err := s.Apply(ctx, workerID, g.ID)
	if err != nil {
		return err
	}
	if _, err := s.Accept(ctx, employerUser, app.ID); err != nil {
		return err
	}
	return dbErr(s.DB.WithContext(ctx).Model(&Gig{}).Where("id = ?", g.ID).
		Updates(map[string]any{"start_date": day(-1), "end_date": day(-1), "status": GigExpired, "updated_at": s.Now()}).Error)
}

// seedDemoDirectory adds markets and a station, a staff member for 合肥, a job fair, a notice and shortages.
func (s *Store) seedDemoDirectory(ctx context.Context, scope Scope, day func(int) string) error {
	markets := []MarketInput{
		{Kind: MarketKindMarket, Name: "合肥市蜀山区零工市场", AreaCode: "340104", Address: "合肥市蜀山区黄山路 459 号",
			Lat: 31.8440, Lng: 117.2510, OpeningHours: "每天 05:30-18:00", Services: "求职登记、招工登记、即时快招、技能培训、维权咨询",
			Hotline: "0551-12333", ComplaintPhone: "12333"},
		{Kind: MarketKindMarket, Name: "合肥市包河区零工市场", AreaCode: "340111", Address: "合肥市包河区徽州大道与南二环交口",
			Lat: 31.7936, Lng: 117.3093, OpeningHours: "每天 05:30-18:00", Services: "求职登记、招工登记、即时快招、工资指导价位发布",
			Hotline: "0551-12333", ComplaintPhone: "12333"},
		{Kind: MarketKindStation, Name: "三里庵街道安居苑社区零工驿站", AreaCode: "340104", Address: "合肥市蜀山区三里庵街道安居苑社区服务中心",
			Lat: 31.8520, Lng: 117.2600, OpeningHours: "周一至周六 07:00-17:00", Services: "找活咨询、代办登记、休息饮水",
			Hotline: "0551-65550000", ComplaintPhone: "12333"},
		{Kind: MarketKindMarket, Name: "淮南市田家庵区零工市场", AreaCode: "340403", Address: "淮南市田家庵区洞山中路",
			Lat: 32.6420, Lng: 117.0010, OpeningHours: "每天 05:30-17:30", Services: "求职登记、招工登记、即时快招、技能培训",
			Hotline: "0554-12333", ComplaintPhone: "12333"},
	}
	var shushan uint64
	for i, m := range markets {
		saved, err := s.SaveMarket(ctx, scope, 0, m)
		if err != nil {
			return fmt.Errorf("demo market %q: %w", m.Name, err)
		}
		if i == 0 {
			shushan = saved.ID
		}
	}
	staff, err := s.findOrCreateUser(ctx, "dev-staff", "")
	if err != nil {
		return err
	}
	if err := s.AddStaff(ctx, scope.UserID, staff.ID, "演示工作人员", "340100", nil); err != nil {
		return err
	}
	if _, err := s.PublishJobFair(ctx, scope, JobFair{MarketID: shushan, Title: "冬季家政保洁专场招聘会", Date: day(3),
		StartTime: "08:30", EndTime: "11:30", Description: "二十余家家政、物业公司现场招工，日结、月结岗位都有。"}); err != nil {
		return err
	}
	if _, err := s.PublishNotice(ctx, scope, "零工人员意外伤害保险补贴", "在本市零工市场登记的灵活就业人员，参加新就业形态人身意外伤害保险，可按规定享受保费补贴。详情请到就近零工市场咨询。", "340100"); err != nil {
		return err
	}
	for _, c := range []uint64{16, 3, 5} {
		if _, err := s.PublishShortage(ctx, scope, c, "340100", "2026-H2", ""); err != nil {
			return err
		}
	}
	return nil
}

// seedDemoServices adds two courses and two insurance plans.
func (s *Store) seedDemoServices(ctx context.Context, scope Scope, logisticsEmployer uint64, day func(int) string) error {
	deadline := s.Now().AddDate(0, 0, 5)
	courses := []TrainingInput{
		{Title: "家政服务员（初级）", CategoryID: 3, Kind: TrainingMenu, Provider: "合肥市职业技能培训中心", Subsidised: true,
			Description: "保洁、收纳、照护老人，结业发证书，培训费由政府补贴。", Address: "合肥市蜀山区黄山路 459 号",
			Lat: 31.8440, Lng: 117.2510, AreaCode: "340104", SignupDeadline: deadline,
			Sessions: []SessionInput{{Date: day(6), StartTime: "09:00", EndTime: "11:30", Seats: 30},
				{Date: day(6), StartTime: "14:00", EndTime: "16:30", Seats: 30}, {Date: day(8), StartTime: "19:00", EndTime: "21:00", Seats: 20}}},
		{Title: "快递分拣岗前培训", CategoryID: 14, Kind: TrainingOrder, Provider: "安徽顺达物流有限公司培训部",
			Description: "为分拣夜班招工办的订单式培训，结业可直接上岗。", Address: "合肥市包河区徽州大道 1000 号",
			Lat: 31.8316, Lng: 117.3060, AreaCode: "340111", EmployerID: &logisticsEmployer, SignupDeadline: deadline,
			Sessions: []SessionInput{{Date: day(7), StartTime: "18:00", EndTime: "20:00", Seats: 15}}},
	}
	for _, c := range courses {
		if _, err := s.SaveTraining(ctx, scope, 0, c); err != nil {
			return fmt.Errorf("demo training %q: %w", c.Title, err)
		}
	}
	for _, p := range []PlanInput{
		{Name: "零工日保（雇主付）", Insurer: "示例财产保险安徽分公司", DeathDisabilityCents: 60_0000_00, MedicalCents: 5_0000_00,
			Term: TermDay, PremiumCents: 3_00, Payer: PayerEmployer, MinAge: 16, MaxAge: 70, Active: true},
		{Name: "新就业形态人身意外伤害保险（政府补贴月保）", Insurer: "示例人寿保险安徽分公司", DeathDisabilityCents: 50_0000_00,
			MedicalCents: 3_0000_00, Term: TermMonth, PremiumCents: 0, Payer: PayerGovernment, MinAge: 16, MaxAge: 65, Active: true},
	} {
		if _, err := s.SavePlan(ctx, scope, 0, p); err != nil {
			return fmt.Errorf("demo plan %q: %w", p.Name, err)
		}
	}
	return nil
}

// demoIDNumber completes a made-up ID number with its check character.
func demoIDNumber(area, birth, seq string) string {
	c, _ := idCheckChar(area + birth + seq)
	return area + birth + seq + string(c)
}

// demoCreditCode completes a made-up credit code with its check character.
func demoCreditCode(first17 string) string {
	c, _ := creditCheckChar(first17)
	return first17 + string(c)
}
