/// The content of `summary.json`: the headline counts of a coverage run, per label, action
/// and area, with coverage rates, enterprise findings, data quality, timings and, when a
/// previous run is given, the changes and the progress against targets.
///
/// Encoded pretty-printed with sorted keys, so the same result always gives the same bytes.
/// Optional values that do not apply (a rate with no working-age persons) are left out.
///
/// **Coverage rate** (参保率) of an area = *insured working-age persons* / *working-age persons*,
/// where a working-age person is one with the label `working_age`, and an insured one also has
/// `insured_local` or `insured_elsewhere`. Labels that settings do not define count as absent:
/// without `working_age` no rate is given; without both insured labels the rate is 0. An area
/// with no working-age persons has no rate (`coverageRate` is absent), never a division by zero.
public struct CoverageSummary: Codable, Sendable, Equatable {
    /// The reference date, `YYYY-MM-DD`.
    public var asOf: String
    /// Persons in the population base.
    public var persons: Int
    /// Persons with a recommended action (those on the worklists).
    public var personsNeedingAction: Int
    /// Persons per label (every label defined, zeros included).
    public var labels: [String: Int]
    /// Persons per recommended action (every action defined, zeros included).
    public var actions: [String: Int]
    /// The city-wide coverage rate.
    public var coverage: Coverage
    /// Counts and coverage per county, township and village.
    public var areas: Areas
    /// Enterprise findings.
    public var enterprises: Enterprises
    /// Data-quality findings.
    public var quality: Quality
    /// Seconds per stage, in run order.
    public var timings: [Timing]
    /// Changes since the previous run, when one was given.
    public var changes: Changes?
    /// Progress against the targets (任务分解表), when given.
    public var targets: [TargetProgress]?

    /// Working-age persons, the insured among them, and their share.
    public struct Coverage: Codable, Sendable, Equatable {
        /// Persons labelled `working_age`.
        public var workingAge: Int
        /// Of those, persons labelled `insured_local` or `insured_elsewhere`.
        public var insured: Int
        /// `insured / workingAge`, rounded to 6 decimals; absent when `workingAge` is 0 or
        /// the label `working_age` is not defined.
        public var rate: Double?
    }

    /// One county, township or village (the levels below its own are absent).
    public struct Area: Codable, Sendable, Equatable {
        /// County or district (empty when unknown).
        public var county: String
        /// Township or street (absent for a county).
        public var township: String?
        /// Village or community (absent for a county or township).
        public var village: String?
        /// Persons living here.
        public var persons: Int
        /// Of those, persons with a recommended action.
        public var needingAction: Int
        /// Persons per label (labels with no person left out).
        public var labels: [String: Int]
        /// Persons per recommended action (actions with no person left out).
        public var actions: [String: Int]
        /// Coverage of the working-age residents here.
        public var coverage: Coverage
    }

    /// The three levels of areas, each sorted by name path.
    public struct Areas: Codable, Sendable, Equatable {
        /// Counties (县/区).
        public var counties: [Area]
        /// Townships (乡/镇/街道), with their county.
        public var townships: [Area]
        /// Villages (村/社区), with their county and township.
        public var villages: [Area]
    }

    /// Enterprise findings.
    public struct Enterprises: Codable, Sendable, Equatable {
        /// Enterprises seen (registry or tax list).
        public var count: Int
        /// Enterprises per enterprise label (every label defined, zeros included).
        public var labels: [String: Int]
        /// The enterprises with the largest gap between reported headcount and insured
        /// employees (gap > 0 only), largest first, then by key; at most 20.
        public var worst: [Enterprise]
    }

    /// One enterprise in the findings.
    public struct Enterprise: Codable, Sendable, Equatable {
        /// Credit code (or legacy taxpayer number).
        public var key: String
        /// Registered (or tax-list) name.
        public var name: String
        /// County of registration (empty when unknown).
        public var county: String
        /// Township of registration (empty when unknown).
        public var township: String
        /// Headcount reported to the tax office.
        public var reportedHeadcount: Int
        /// Employees paying into the employee pension under this enterprise.
        public var insuredEmployees: Int
        /// `reportedHeadcount - insuredEmployees`.
        public var gap: Int
        /// Insured employees found by the code on their account, and by the employer's name.
        public var insuredByCode: Int, insuredByName: Int
        /// Its enterprise labels.
        public var labels: [String]
    }

    /// Data-quality findings.
    public struct Quality: Codable, Sendable, Equatable {
        /// Rows read per source.
        public var rowsRead: [String: Int]
        /// Rows rejected per source, by reason.
        public var rowsRejected: [String: [String: Int]]
        /// All rows rejected.
        public var rejectedTotal: Int
        /// ID-number issue counts by code.
        public var idIssues: [String: Int]
        /// Records whose identity could not be established.
        public var unresolved: Int
        /// Persons placed in a village, and their share of all persons.
        public var personsWithVillage: Int
        public var villageShare: Double
        /// Per person list: how its rows were placed (villages, townships, counties, by
        /// columns, codes or addresses, and the problems met).
        public var areas: [AreaSourceQuality]
        /// Townships and villages the run knew when reading addresses.
        public var townshipsKnown: Int, villagesKnown: Int
        /// How insurance accounts found their employer.
        public var employers: EmployerMatchCounts
    }

    /// Time spent in one stage.
    public struct Timing: Codable, Sendable, Equatable {
        /// The stage name (e.g. `read`).
        public var stage: String
        /// Wall-clock seconds.
        public var seconds: Double
    }

    /// New, resolved and persisting (person, label) cases of one label or in total.
    public struct ChangeCounts: Codable, Sendable, Equatable {
        /// Held now, not in the previous run.
        public var new: Int
        /// Held in the previous run, not now (including persons no longer in the base).
        public var resolved: Int
        /// Held in both runs.
        public var persisting: Int
    }

    /// Changes in one area (attributed to the person's current area; to the area of the
    /// previous run's `persons.csv` for persons no longer in the base).
    public struct ChangeArea: Codable, Sendable, Equatable {
        /// County (empty when unknown).
        public var county: String
        /// Township (absent for a county).
        public var township: String?
        /// Village (absent for a county or township).
        public var village: String?
        /// New (person, label) cases.
        public var new: Int
        /// Resolved (person, label) cases.
        public var resolved: Int
        /// New enrolments (see ``Changes/enrolled``).
        public var enrolled: Int
    }

    /// Changes since the previous run.
    ///
    /// **Enrolments achieved** (`enrolled`): persons who, in the previous run, had the label
    /// `uninsured_should_enrol` or `interrupted`, and in this run are still in the base, have
    /// neither label, are not `deceased`, and have at least one of `insured_local`,
    /// `insured_elsewhere`, `paying`, `receiving_pension` (among those the settings define;
    /// if none is defined, that last condition is dropped).
    public struct Changes: Codable, Sendable, Equatable {
        /// All labels together.
        public var total: ChangeCounts
        /// Per label (every label of either run).
        public var labels: [String: ChangeCounts]
        /// Persons with a new enrolment.
        public var enrolled: Int
        /// Per county (areas with a change only).
        public var counties: [ChangeArea]
        /// Per township (areas with a change only).
        public var townships: [ChangeArea]
        /// Per village (areas with a change only).
        public var villages: [ChangeArea]
    }

    /// Progress of one row of the targets table.
    public struct TargetProgress: Codable, Sendable, Equatable {
        /// The area as the targets table names it.
        public var area: String
        /// The target count of new enrolments.
        public var target: Int
        /// New enrolments in the matched areas (see ``Changes/enrolled``).
        public var achieved: Int
        /// `achieved / target`, rounded to 4 decimals; absent when the target is 0.
        public var progress: Double?
        /// The areas matched, as `county/township/village` paths; empty when none matched.
        public var matched: [String]
    }
}
