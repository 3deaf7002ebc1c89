//! A grid over the municipal areas that tells, for most points, which
//! municipality holds them with one hash lookup instead of a polygon test.
//!
//! Every search under the municipality rule first asks which municipality
//! the voter stands in. Testing the point against each polygon whose
//! bounding box holds it walks a few hundred edges, which cost a fifth of a
//! whole search. So the areas are cut into cells of 1/128 degree (about
//! 550 by 870 metres in the Netherlands): a cell that no boundary edge
//! touches lies whole inside one municipality, or whole outside all of
//! them, and is answered from the grid; only points in cells that an edge
//! touches (about one in eight) fall back to the polygons.

use super::MunicipalityArea;
use app::model::Coordinates;
use geo::{BoundingRect, LinesIter};
use rustc_hash::FxHashMap;

/// Cells per degree: a power of two, so that `degrees * CELLS_PER_DEGREE`
/// is exact and a point and an edge through it agree on their cell.
const CELLS_PER_DEGREE: f64 = 128.0;

/// The most cells a grid holds (about 16 MB). The Netherlands needs about
/// 200,000; a boundary file that would need more (an area the size of a
/// continent) gets no grid, and every lookup takes the polygon path.
const MAX_CELLS: usize = 1 << 20;

type CellId = (i32, i32);

/// What one cell holds, in four bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Cell(u32);

impl Cell {
    /// An edge touches the cell: its points may lie in different areas.
    const EDGE: Cell = Cell(u32::MAX);
    /// The whole cell lies outside every area.
    const OUTSIDE: Cell = Cell(u32::MAX - 1);

    fn holding(area: Option<usize>) -> Cell {
        match area.and_then(|area| u32::try_from(area).ok()) {
            Some(area) if area < UNSET => Cell(area),
            Some(_) => Cell::EDGE,
            None => Cell::OUTSIDE,
        }
    }
}

/// What the grid knows of a point.
#[derive(Debug, PartialEq)]
pub enum Known {
    /// The point lies in the area at this position, or (`None`) in none.
    Area(Option<usize>),
    /// The grid cannot tell: ask the polygons.
    Unknown,
}

pub struct Grid {
    cells: FxHashMap<CellId, Cell>,
}

impl Grid {
    /// Builds the grid of `areas`; `locate` is the exact (slow) answer for
    /// one point, asked once per run of untouched cells in a row.
    pub fn new(areas: &[MunicipalityArea], locate: impl Fn(f64, f64) -> Option<usize>) -> Grid {
        Self::build(areas, locate).unwrap_or_else(|| Grid { cells: FxHashMap::default() })
    }

    pub fn get(&self, at: Coordinates) -> Known {
        match self.cells.get(&cell_of(at.lon(), at.lat())).copied() {
            Some(Cell::OUTSIDE) => Known::Area(None),
            Some(Cell(area)) if area < UNSET => Known::Area(Some(area as usize)),
            _ => Known::Unknown,
        }
    }

    /// `None` when the grid would hold more than [`MAX_CELLS`].
    fn build(areas: &[MunicipalityArea], locate: impl Fn(f64, f64) -> Option<usize>) -> Option<Grid> {
        let mut cells = FxHashMap::default();
        // First every cell an edge touches, so that what is left is whole.
        for line in areas.iter().flat_map(|area| area.area.lines_iter()) {
            let (low, high) = (cell_of(line.start.x, line.start.y), cell_of(line.end.x, line.end.y));
            let (low, high) =
                ((low.0.min(high.0), low.1.min(high.1)), (low.0.max(high.0), low.1.max(high.1)));
            for_each_cell(low, high, &mut cells, |_, cell| *cell = Cell::EDGE)?;
        }
        // Then each area's untouched cells, row by row. Two neighbouring
        // untouched cells lie in the same area (an edge between them would
        // touch both), so one exact answer serves a whole run of them.
        for rect in areas.iter().filter_map(|area| area.area.bounding_rect()) {
            let (low, high) = (cell_of(rect.min().x, rect.min().y), cell_of(rect.max().x, rect.max().y));
            let mut run: Option<Cell> = None;
            for_each_cell(low, high, &mut cells, |id, cell| {
                if id.0 == low.0 {
                    run = None;
                }
                if *cell == Cell::EDGE {
                    run = None;
                    return;
                }
                if cell.0 == UNSET {
                    let (x, y) = centre(id);
                    *cell = run.unwrap_or_else(|| Cell::holding(locate(x, y)));
                }
                run = Some(*cell);
            })?;
        }
        Some(Grid { cells })
    }
}

/// A cell not yet classified; never stored once `build` ends (every cell
/// `for_each_cell` inserts, it also classifies).
const UNSET: u32 = u32::MAX - 2;

/// Visits every cell from `low` to `high` (inclusive), row by row, west to
/// east, inserting unset ones; `None` when that would pass [`MAX_CELLS`].
fn for_each_cell(
    low: CellId,
    high: CellId,
    cells: &mut FxHashMap<CellId, Cell>,
    mut visit: impl FnMut(CellId, &mut Cell),
) -> Option<()> {
    let width = usize::try_from(i64::from(high.0) - i64::from(low.0) + 1).ok()?;
    let height = usize::try_from(i64::from(high.1) - i64::from(low.1) + 1).ok()?;
    if width.checked_mul(height)? > MAX_CELLS {
        return None;
    }
    for y in low.1..=high.1 {
        for x in low.0..=high.0 {
            if cells.len() >= MAX_CELLS && !cells.contains_key(&(x, y)) {
                return None;
            }
            visit((x, y), cells.entry((x, y)).or_insert(Cell(UNSET)));
        }
    }
    Some(())
}

/// The cell that holds a point; points on a cell's west or south side
/// belong to it.
fn cell_of(x: f64, y: f64) -> CellId {
    // Saturating casts: degrees are within ±180, so no cell is shared by
    // accident.
    ((x * CELLS_PER_DEGREE).floor() as i32, (y * CELLS_PER_DEGREE).floor() as i32)
}

fn centre((x, y): CellId) -> (f64, f64) {
    ((f64::from(x) + 0.5) / CELLS_PER_DEGREE, (f64::from(y) + 0.5) / CELLS_PER_DEGREE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geography::boundaries::square;
    use geo::{Contains, LineString, MultiPolygon, Polygon};

    /// Two neighbours, the western one with a hole that is an enclave of
    /// a third, and sea around them.
    fn areas() -> Vec<MunicipalityArea> {
        let mut west = square("GM0001", "West", 52.0, 4.0, 0.5);
        let hole = LineString::from(vec![(4.1, 52.1), (4.2, 52.1), (4.2, 52.2), (4.1, 52.2), (4.1, 52.1)]);
        let outer = west.area.0[0].exterior().clone();
        west.area = MultiPolygon(vec![Polygon::new(outer, vec![hole])]);
        vec![west, square("GM0002", "East", 52.0, 4.5, 0.5), square("GM0003", "Enclave", 52.1, 4.1, 0.1)]
    }

    fn exact(areas: &[MunicipalityArea], x: f64, y: f64) -> Option<usize> {
        areas.iter().position(|area| area.area.contains(&geo::Point::new(x, y)))
    }

    #[test]
    fn agrees_with_the_polygons_everywhere_and_knows_most_points() {
        let areas = areas();
        let grid = Grid::new(&areas, |x, y| exact(&areas, x, y));
        let (mut inside, mut known) = (0, 0);
        // A lattice whose step is no divisor of a cell's, over the areas and the sea.
        for i in 0..400 {
            for j in 0..240 {
                let (x, y) = (3.9 + f64::from(i) * 0.00301, 51.9 + f64::from(j) * 0.00297);
                let in_boxes = (4.0..5.0).contains(&x) && (52.0..52.5).contains(&y);
                inside += usize::from(in_boxes);
                let Known::Area(area) = grid.get(Coordinates::new(y, x).unwrap()) else { continue };
                assert_eq!(area, exact(&areas, x, y), "at ({x}, {y})");
                known += usize::from(in_boxes);
            }
        }
        assert!(known > inside * 9 / 10, "the grid knew only {known} of {inside} points");
    }

    #[test]
    fn an_area_too_large_for_a_grid_leaves_every_point_to_the_polygons() {
        let areas = vec![square("GM0001", "Everywhere", -80.0, -170.0, 160.0)];
        let grid = Grid::new(&areas, |x, y| exact(&areas, x, y));
        assert_eq!(grid.get(Coordinates::new(52.0, 4.0).unwrap()), Known::Unknown);
    }
}
