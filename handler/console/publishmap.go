package console

import (
	"math"
	"strconv"

	"lingong/model"
)

// The map on the market form is drawn here as SVG: the console's machines are offline and its CSP admits
// nothing from elsewhere, so there are no tiles; the scope's markets and stations are labelled points on a
// grid of latitude and longitude, with a scale bar. assets/marketmap.js turns a click into coordinates with
// the numbers carried in the SVG's data attributes.

const mapW, mapH = 640, 440

// defaultCentre is where a scope without any market yet is drawn: Hefei, the province's capital.
var defaultCentre = model.Place{Lat: 31.86, Lng: 117.28}

type areaMap struct {
	W, H int
	// West and North are the coordinates of the top left corner; LngPerPx and LatPerPx the degrees of one unit.
	West, North, LngPerPx, LatPerPx string
	Points                          []mapPoint
	Grid                            []gridLine
	ScaleKm                         string
	ScalePx                         float64
	Marker                          *mapPoint
}

type mapPoint struct {
	X, Y    float64
	Label   string
	Station bool
	// Editing is the market whose form this is: it is drawn as the marker, not as a point.
	Editing bool
}

type gridLine struct {
	X1, Y1, X2, Y2 float64
	Label          string
	LX, LY         float64
}

// drawMap fits the markets and the marker into the map, the same kilometres a unit across and down.
func drawMap(markets []model.Market, editing uint64, marker *model.Place) areaMap {
	var places []model.Place
	for _, m := range markets {
		places = append(places, model.Place{Lat: m.Lat, Lng: m.Lng})
	}
	if marker != nil && marker.Lat >= 3 && marker.Lat <= 54 && marker.Lng >= 73 && marker.Lng <= 136 {
		places = append(places, *marker)
	} else {
		marker = nil
	}
	if len(places) == 0 {
		places = append(places, defaultCentre)
	}
	south, north, west, east := places[0].Lat, places[0].Lat, places[0].Lng, places[0].Lng
	for _, p := range places {
		south, north, west, east = math.Min(south, p.Lat), math.Max(north, p.Lat), math.Min(west, p.Lng), math.Max(east, p.Lng)
	}
	lat0, lng0 := (south+north)/2, (west+east)/2
	kmLat, kmLng := 110.57, 111.32*math.Cos(lat0*math.Pi/180)
	// A fifth more on every side, and at least 20 km across, so that a lone market has its surroundings.
	kmPerPx := math.Max(math.Max((east-west)*kmLng*1.4/mapW, (north-south)*kmLat*1.4/mapH), 20.0/mapW)
	lngPerPx, latPerPx := kmPerPx/kmLng, kmPerPx/kmLat
	m := areaMap{W: mapW, H: mapH, West: coord(lng0 - mapW/2*lngPerPx), North: coord(lat0 + mapH/2*latPerPx),
		LngPerPx: strconv.FormatFloat(lngPerPx, 'g', 10, 64), LatPerPx: strconv.FormatFloat(latPerPx, 'g', 10, 64)}
	wLng, nLat := lng0-mapW/2*lngPerPx, lat0+mapH/2*latPerPx
	at := func(lat, lng float64) (float64, float64) {
		return round1((lng - wLng) / lngPerPx), round1((nLat - lat) / latPerPx)
	}

	step := 1.0
	for _, s := range []float64{0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1} {
		if s/lngPerPx >= 80 {
			step = s
			break
		}
	}
	for g := math.Ceil(wLng/step) * step; g < wLng+mapW*lngPerPx; g += step {
		x, _ := at(nLat, g)
		m.Grid = append(m.Grid, gridLine{X1: x, Y1: 0, X2: x, Y2: mapH, Label: strconv.FormatFloat(g, 'f', 2, 64) + "°E", LX: x + 3, LY: mapH - 6})
	}
	for g := math.Ceil((nLat-mapH*latPerPx)/step) * step; g < nLat; g += step {
		_, y := at(g, wLng)
		m.Grid = append(m.Grid, gridLine{X1: 0, Y1: y, X2: mapW, Y2: y, Label: strconv.FormatFloat(g, 'f', 2, 64) + "°N", LX: 4, LY: y - 4})
	}
	km := 0.5
	for _, s := range []float64{0.5, 1, 2, 5, 10, 20, 50, 100} {
		if s/kmPerPx <= mapW/4 {
			km = s
		}
	}
	m.ScaleKm, m.ScalePx = strconv.FormatFloat(km, 'f', -1, 64), round1(km/kmPerPx)

	for _, mk := range markets {
		x, y := at(mk.Lat, mk.Lng)
		m.Points = append(m.Points, mapPoint{X: x, Y: y, Label: mk.Name, Station: mk.Kind == model.MarketKindStation, Editing: mk.ID == editing && editing != 0})
	}
	if marker != nil {
		x, y := at(marker.Lat, marker.Lng)
		m.Marker = &mapPoint{X: x, Y: y}
	}
	return m
}

func coord(v float64) string { return strconv.FormatFloat(v, 'f', 6, 64) }

func round1(v float64) float64 { return math.Round(v*10) / 10 }
