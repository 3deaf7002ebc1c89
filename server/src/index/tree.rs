//! A static R-tree over points on the unit sphere whose every node knows,
//! by its [`Summary`], what the stations below it offer; and the nearest
//! walk over it that leaves out the subtrees a query's [`Sieve`] turns
//! away, and the subtree of one municipality when asked to.
//!
//! Each municipality's stations form one subtree of their own, and the
//! tree is built over those: so "the home municipality's stations" is one
//! node to start from, and "every station but those" one node to pass
//! over. A walk thereby costs about what it returns, whether the home
//! municipality has one station or a thousand, and whatever the filters.
//!
//! It knows positions, points and summaries, not stations: the caller
//! says, for each position the walk reaches, whether it is admitted and
//! how far it is.

use super::sieve::{Sieve, Summary};
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// No two points on the WGS84 ellipsoid are closer, in metres, than this
/// many times the angle between their unit vectors (in radians). In
/// geodetic coordinates the ellipsoid's line element is
/// ds² = M²dφ² + N²cos²φ dλ², the unit sphere's dθ² = dφ² + cos²φ dλ², and
/// both radii of curvature M and N are at least M at the equator,
/// a(1 − e²) = 6,335,439 m; so every path, the geodesic included, is at
/// least that many metres per radian of the great circle. Rounded down
/// for margin, it lets the walk in sphere order stop as soon as no farther
/// station can beat the k-th geodesic distance found.
const MIN_METRES_PER_RADIAN: f64 = 6_335_000.0;

/// Entries per leaf and children per inner node: small enough that a
/// leaf holding one wanted station costs little to look through.
const FANOUT: usize = 8;

/// A node's place in [`Tree::nodes`].
pub type NodeId = usize;

/// Where a walk looks: under `from`, except under `skip`.
#[derive(Clone, Copy, Debug)]
pub struct Scope {
    pub from: NodeId,
    pub skip: Option<NodeId>,
}

struct Node {
    /// Corners of the box that holds every point below.
    low: [f64; 3],
    high: [f64; 3],
    summary: Summary,
    below: Below,
}

/// A leaf holds entries, an inner node other nodes: both as a range of
/// [`Tree::entries`] or [`Tree::children`].
#[derive(Clone, Copy)]
enum Below {
    Entries(usize, usize),
    Nodes(usize, usize),
}

struct Entry {
    point: [f64; 3],
    /// The station's position in the caller's list.
    position: usize,
    summary: Summary,
}

pub struct Tree {
    nodes: Vec<Node>,
    children: Vec<NodeId>,
    entries: Vec<Entry>,
    root: NodeId,
}

/// What packing works on: positions of points (into leaves) or nodes
/// (into inner nodes).
#[derive(Clone, Copy)]
enum Level {
    Points,
    Nodes,
}

impl Tree {
    /// Packs the points, one subtree per group of positions, then the
    /// groups' subtrees under one root; returns the tree and each group's
    /// subtree, in the order of `groups`.
    pub fn build(points: &[[f64; 3]], summaries: &[Summary], groups: Vec<Vec<usize>>) -> (Self, Vec<NodeId>) {
        let mut builder = Builder {
            points,
            summaries,
            tree: Tree {
                nodes: Vec::new(),
                children: Vec::new(),
                entries: Vec::with_capacity(points.len()),
                root: 0,
            },
        };
        let subtrees: Vec<NodeId> =
            groups.into_iter().map(|mut positions| builder.pack(&mut positions, Level::Points)).collect();
        let mut tops = subtrees.clone();
        builder.tree.root = builder.pack(&mut tops, Level::Nodes);
        (builder.tree, subtrees)
    }

    pub fn root(&self) -> NodeId {
        self.root
    }

    /// The `k` admitted positions nearest to `origin` (a unit vector),
    /// nearest first (equal distances in position order), with their
    /// distance in metres. `measure` gives the distance of a position it
    /// admits, and must never be less than `MIN_METRES_PER_RADIAN` times
    /// the angle to it.
    ///
    /// Nodes and entries wait in order of their least possible distance
    /// on the sphere; the walk keeps the best k by `measure`, and stops
    /// once what waits next is, even at the most favourable curvature,
    /// farther than the k-th. Only what the sieve lets through ever waits.
    pub fn nearest(
        &self,
        scope: Scope,
        origin: [f64; 3],
        k: usize,
        sieve: &Sieve,
        measure: impl Fn(usize) -> Option<f64>,
    ) -> Vec<(f64, usize)> {
        let mut best: Vec<(f64, usize)> = Vec::with_capacity(k + 1);
        let mut waiting = BinaryHeap::with_capacity(64);
        let wanted = |node: NodeId| Some(node) != scope.skip && sieve.passes(&self.nodes[node].summary);
        if k == 0 || !wanted(scope.from) {
            return best;
        }
        waiting.push(Waiting { chord_squared: 0.0, item: Item::Node(scope.from) });
        while let Some(Waiting { chord_squared, item }) = waiting.pop() {
            if best.len() == k && least_metres(chord_squared) > best[k - 1].0 {
                break;
            }
            match item {
                Item::Node(node) => match self.nodes[node].below {
                    Below::Entries(start, end) => {
                        let entries = self.entries[start..end].iter().enumerate();
                        waiting.extend(entries.filter(|(_, entry)| sieve.passes(&entry.summary)).map(
                            |(offset, entry)| Waiting {
                                chord_squared: squared_distance(entry.point, origin),
                                item: Item::Entry(start + offset),
                            },
                        ));
                    }
                    Below::Nodes(start, end) => {
                        let children = self.children[start..end].iter().filter(|&&child| wanted(child));
                        waiting.extend(children.map(|&child| Waiting {
                            chord_squared: self.nodes[child].chord_squared_from(origin),
                            item: Item::Node(child),
                        }));
                    }
                },
                Item::Entry(entry) => {
                    let position = self.entries[entry].position;
                    if let Some(metres) = measure(position) {
                        keep_best(&mut best, k, (metres, position));
                    }
                }
            }
        }
        best
    }
}

impl Node {
    /// The least squared chord from a point to anything in the box.
    fn chord_squared_from(&self, point: [f64; 3]) -> f64 {
        (0..3)
            .map(|axis| {
                let gap = (self.low[axis] - point[axis]).max(point[axis] - self.high[axis]).max(0.0);
                gap * gap
            })
            .sum()
    }
}

fn squared_distance(a: [f64; 3], b: [f64; 3]) -> f64 {
    (0..3).map(|axis| (a[axis] - b[axis]).powi(2)).sum()
}

/// The least geodesic distance, in metres, to a point this far (squared
/// chord of unit vectors) on the sphere.
fn least_metres(chord_squared: f64) -> f64 {
    2.0 * (chord_squared.sqrt() / 2.0).min(1.0).asin() * MIN_METRES_PER_RADIAN
}

/// Puts a candidate in its place among the best `k`, if it has one.
fn keep_best(best: &mut Vec<(f64, usize)>, k: usize, candidate: (f64, usize)) {
    let at =
        best.partition_point(|held| held.0.total_cmp(&candidate.0).then(held.1.cmp(&candidate.1)).is_lt());
    if at < k {
        best.insert(at, candidate);
        best.truncate(k);
    }
}

#[derive(Clone, Copy)]
enum Item {
    Node(NodeId),
    /// A place in [`Tree::entries`].
    Entry(usize),
}

/// A node or entry in the walk's queue, by the least squared chord from
/// the origin to anything in it; the heap pops the least first.
struct Waiting {
    chord_squared: f64,
    item: Item,
}

impl PartialEq for Waiting {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Waiting {}

impl PartialOrd for Waiting {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Waiting {
    fn cmp(&self, other: &Self) -> Ordering {
        other.chord_squared.total_cmp(&self.chord_squared)
    }
}

struct Builder<'a> {
    points: &'a [[f64; 3]],
    summaries: &'a [Summary],
    tree: Tree,
}

impl Builder<'_> {
    /// Packs items into a subtree with full nodes: splits them in two
    /// along the axis where they spread most, again and again, into
    /// pieces of one full child each, and packs each piece.
    fn pack(&mut self, items: &mut [usize], level: Level) -> NodeId {
        if items.len() <= FANOUT {
            return self.node(items, level);
        }
        let mut capacity = FANOUT;
        while capacity * FANOUT < items.len() {
            capacity *= FANOUT;
        }
        let mut pieces = Vec::with_capacity(FANOUT);
        self.split(items, capacity, level, &mut pieces);
        let children: Vec<NodeId> = pieces.into_iter().map(|piece| self.pack(piece, level)).collect();
        self.node(&children, Level::Nodes)
    }

    fn split<'i>(
        &self,
        items: &'i mut [usize],
        capacity: usize,
        level: Level,
        pieces: &mut Vec<&'i mut [usize]>,
    ) {
        if items.len() <= capacity {
            pieces.push(items);
            return;
        }
        let centre = |item: usize| self.centre(item, level);
        let axis = (0..3)
            .map(|axis| {
                let (low, high) = items
                    .iter()
                    .map(|&item| centre(item)[axis])
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(low, high), x| (low.min(x), high.max(x)));
                (high - low, axis)
            })
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map_or(0, |(_, axis)| axis);
        let middle = items.len().div_ceil(capacity).div_ceil(2) * capacity;
        items.select_nth_unstable_by(middle, |&a, &b| centre(a)[axis].total_cmp(&centre(b)[axis]));
        let (low, high) = items.split_at_mut(middle);
        self.split(low, capacity, level, pieces);
        self.split(high, capacity, level, pieces);
    }

    fn centre(&self, item: usize, level: Level) -> [f64; 3] {
        match level {
            Level::Points => self.points[item],
            Level::Nodes => {
                let node = &self.tree.nodes[item];
                [0, 1, 2].map(|axis| (node.low[axis] + node.high[axis]) / 2.0)
            }
        }
    }

    /// A leaf over positions or an inner node over nodes, with the box and
    /// summary of everything below.
    fn node(&mut self, items: &[usize], level: Level) -> NodeId {
        let tree = &mut self.tree;
        let mut node = Node {
            low: [f64::INFINITY; 3],
            high: [f64::NEG_INFINITY; 3],
            summary: Summary::default(),
            below: Below::Nodes(0, 0),
        };
        let mut cover = |low: [f64; 3], high: [f64; 3], summary: &Summary| {
            node.low = [0, 1, 2].map(|axis| node.low[axis].min(low[axis]));
            node.high = [0, 1, 2].map(|axis| node.high[axis].max(high[axis]));
            node.summary.merge(summary);
        };
        let below = match level {
            Level::Points => {
                let start = tree.entries.len();
                for &position in items {
                    let entry =
                        Entry { point: self.points[position], position, summary: self.summaries[position] };
                    cover(entry.point, entry.point, &entry.summary);
                    tree.entries.push(entry);
                }
                Below::Entries(start, tree.entries.len())
            }
            Level::Nodes => {
                let start = tree.children.len();
                for &child in items {
                    let child_node = &tree.nodes[child];
                    cover(child_node.low, child_node.high, &child_node.summary);
                    tree.children.push(child);
                }
                Below::Nodes(start, tree.children.len())
            }
        };
        node.below = below;
        tree.nodes.push(node);
        tree.nodes.len() - 1
    }
}
