//! Demo articles, written for this project: a fictional country with fictional towns,
//! people, parties and companies. Headlines and bodies are assembled from hand-written
//! templates by a seeded generator, so every run produces the same paper.

use fastrand::Rng;

pub struct Desk {
    pub slug: &'static str,
    pub headlines: &'static [&'static str],
    pub ledes: &'static [&'static str],
    pub sentences: &'static [&'static str],
    pub subheads: &'static [&'static str],
    pub quotes: &'static [&'static str],
    pub roles: &'static [&'static str],
    pub picture: &'static [&'static str],
}

pub const CITIES: &[&str] = &[
    "Port Calder",
    "Valmere",
    "Eastbrook",
    "Norrow",
    "Lindenfield",
    "Ashcombe",
    "Kestrel Bay",
    "Marrowgate",
    "Saltmarsh",
    "Greyhaven",
    "Oakridge",
    "Brenmoor",
    "Tarn Hollow",
    "Westmere",
];
pub const COUNTRIES: &[&str] = &[
    "Veridia", "Solmark", "Karelon", "Aurenne", "Dravik", "Lunmark", "Corvania", "Pellora",
];
const PARTIES: &[&str] = &[
    "the Harbour Party",
    "the Civic Alliance",
    "the Northern Greens",
    "the Reform Bloc",
];
const COMPANIES: &[&str] = &[
    "Calder Freight",
    "Northwind Energy",
    "Brightwater Foods",
    "Meridian Rail",
    "Oakridge Mutual",
    "Saltworks Bank",
    "Fernhill Textiles",
    "Kestrel Air",
    "Tidewell Water",
    "Greyhaven Steel",
];
const TECH_FIRMS: &[&str] = &[
    "Lumen Systems",
    "Quillbyte",
    "Arcfield Labs",
    "Nimbus Forge",
    "Parallax Robotics",
    "Tessel",
];
const FIRST: &[&str] = &[
    "Alma", "Bram", "Carys", "Dorian", "Elin", "Farid", "Greta", "Hollis", "Ines", "Jonah",
    "Katya", "Linus", "Marit", "Nadia", "Oskar", "Priya", "Rafe", "Sunniva", "Tobias", "Vera",
];
const LAST: &[&str] = &[
    "Ardent",
    "Bellamy",
    "Corran",
    "Delacourt",
    "Eskildsen",
    "Fairweather",
    "Galloway",
    "Hartmann",
    "Iverson",
    "Jessop",
    "Kowal",
    "Lindqvist",
    "Marchetti",
    "Nyberg",
    "Okafor",
    "Pellew",
    "Quist",
    "Rosenthal",
    "Salo",
    "Thorne",
    "Varga",
    "Whitlock",
];
pub const AUTHORS: &[&str] = &[
    "Maren Holt",
    "Idris Calloway",
    "Sofia Brandt",
    "Tomasz Reyes",
    "Hanne Okoro",
    "Lucas Feld",
    "Ada Winterbourne",
    "Niall Sørby",
];
/// What the demo's writers do, in `AUTHORS`' order: their role and their beat, for their
/// profiles.
pub const AUTHOR_ROLES: &[(&str, &str)] = &[
    (
        "Politics correspondent",
        "the harbour towns' councils and the parliament in Valmere",
    ),
    (
        "Business editor",
        "shipping, trade and the firms along the coast",
    ),
    (
        "World affairs reporter",
        "rivers, borders and the treaties between them",
    ),
    (
        "Travel writer",
        "slow trains, ferries and the walks between them",
    ),
    (
        "Lifestyle columnist",
        "food, families and the cafés of the old quarters",
    ),
    (
        "Technology reporter",
        "repairable machines, batteries and privacy",
    ),
    (
        "Opinion editor",
        "the arguments the towns have with themselves",
    ),
    ("Senior reporter", "whatever the night desk needs"),
];

/// A short bio for writer `name` with `beat`.
pub fn author_bio(name: &str, beat: &str, since: i32) -> String {
    format!(
        "{name} has written for the paper since {since}, covering {beat}.\n\n\
         Before that {name} worked on regional dailies along the coast. Tips and corrections \
         are welcome through the newsroom."
    )
}

pub const PHOTO_CREDITS: &[&str] = &[
    "Meridian Photo Desk",
    "Meridian Graphics",
    "Staff illustration",
    "Meridian Archive",
];

pub const DESKS: &[Desk] = &[
    Desk {
        slug: "politics",
        headlines: &[
            "{city} council backs {n}-year plan to rebuild its harbour district",
            "Parliament passes housing bill after all-night debate",
            "{party} names {person} to lead its campaign in {city}",
            "Voters in {city} head to the polls in tight mayoral race",
            "Budget talks stall over funding for rural bus routes",
            "Ministers promise faster permits for small builders",
            "Opposition demands inquiry into delayed {city} hospital project",
            "{person} resigns as transport minister after rail dispute",
            "Cross-party group proposes lowering the voting age to sixteen",
            "New rules on lobbying to take effect next spring",
            "Coalition survives confidence vote by {n} seats",
            "Regional leaders call for a bigger share of fuel taxes",
            "Electoral commission unveils plan to count votes in a single night",
            "{party} pledges free school meals in its draft manifesto",
            "Senate committee questions cost of new border stations",
            "Mayor of {city} sets out plan to cut waiting lists for social housing",
            "Prime minister reshuffles cabinet ahead of autumn session",
            "Councils warn of shortfall as care costs climb",
        ],
        ledes: &[
            "Lawmakers in {city} spent most of the week arguing over a question that has dogged the region for a decade: who pays, and how soon.",
            "The decision, taken late on {weekday} after hours of procedural wrangling, sets the tone for a parliamentary session that was always going to be difficult.",
            "It was not the outcome either side had predicted, and by morning both were claiming a kind of victory.",
            "For {person}, the vote was the culmination of two years of patient negotiation with colleagues who once dismissed the idea outright.",
        ],
        sentences: &[
            "Supporters say the measure will cut red tape and bring forward projects that have waited years for approval.",
            "Critics argue that the plan shifts costs onto local councils without giving them the money to match.",
            "The finance ministry estimates the package will cost {n} million over its first three years.",
            "Several backbenchers broke ranks, saying they had not been consulted on the final wording.",
            "A committee will now examine the bill line by line before it returns to the chamber in the spring.",
            "Turnout in the last comparable vote was just under half of registered voters, a figure both parties hope to beat.",
            "Local officials in {city} said they had been preparing for the change for months.",
            "The opposition has promised to table amendments on transparency and on how the money is audited.",
            "Polling published this week suggests the public is split almost evenly on the question.",
            "Independent analysts cautioned that the headline figures depend heavily on assumptions about growth.",
            "Residents who attended the public meeting in {city} asked pointed questions about timing and cost.",
            "The government has said it will publish a full impact assessment before the final reading.",
            "Union representatives said they would study the details before deciding whether to back the plan.",
            "The proposal now goes to the upper house, where the governing coalition lacks a clear majority.",
        ],
        subheads: &[
            "What the bill changes", "Who pays", "A divided chamber", "The view from {city}",
            "What happens next", "How we got here", "The numbers behind the vote",
        ],
        quotes: &[
            "This is not a perfect bill, but it is a serious one, and people have waited long enough.",
            "We were handed the final text at midnight. That is not how good laws are made.",
            "Every household in {city} will feel this, one way or another.",
            "Our job now is to make sure the promises in this document turn into buildings and buses.",
            "I would rather take a hard vote today than explain another delay next year.",
        ],
        roles: &["a senior member of parliament", "the opposition's finance spokesperson", "the mayor of {city}", "a councillor in {city}", "the minister responsible"],
        picture: &["The parliament building in {city} at dusk", "Councillors gathered in the chamber", "Campaign posters along a street in {city}"],
    },
    Desk {
        slug: "world",
        headlines: &[
            "{country} and {country2} sign long-awaited river water agreement",
            "Floods force thousands from their homes in northern {country}",
            "{country} elects its first president from the coastal provinces",
            "Trade ministers meet in {country} to revive stalled port deal",
            "Aid convoys reach remote valleys after weeks of snow in {country}",
            "{country} announces plan to reopen its border crossings to trucks",
            "Heatwave strains power grids across {country}",
            "Peace talks resume in {country2} with new mediators at the table",
            "{country} central bank surprises markets with rate cut",
            "Fishing fleets of {country} and {country2} reach deal on shared waters",
            "Earthquake damages historic quarter of {country}'s old capital",
            "{country} begins census using handheld tablets for the first time",
            "Protesters in {country} demand cheaper bread and fuel",
            "Regional summit in {country} ends with pledge on wildfire cooperation",
            "{country} opens its longest rail tunnel to passengers",
            "Drought pushes {country} to ration irrigation water",
        ],
        ledes: &[
            "Officials in {country} described the week as the most consequential for the region in years.",
            "The announcement came without warning on {weekday}, catching diplomats and traders alike off guard.",
            "For families along the border between {country} and {country2}, the news was greeted with cautious relief.",
            "Few outside the region had paid attention to the dispute until this month.",
        ],
        sentences: &[
            "Negotiators worked through the night to settle the final points of disagreement.",
            "Aid agencies said the most urgent needs were clean water, shelter and medicine.",
            "The agreement must still be ratified by both parliaments before it takes effect.",
            "Analysts noted that the deal leaves several contentious questions for a later round of talks.",
            "Satellite images showed the scale of the damage along the river plain.",
            "Neighbouring governments offered help and said they would monitor the situation closely.",
            "Prices for staple goods have risen by roughly {n} percent since the start of the year.",
            "The foreign ministry said it would send a delegation to {country2} next month.",
            "Local reporters described long queues at petrol stations and bakeries.",
            "The measures are expected to remain in place at least until the end of the season.",
            "Observers from {country2} praised the conduct of the vote and the speed of the count.",
            "Shipping companies said they were rerouting vessels while the situation remained unclear.",
            "Engineers began assessing bridges and roads as soon as the water started to recede.",
        ],
        subheads: &[
            "A fragile agreement", "On the ground", "The regional picture", "Reaction from {country2}",
            "What the deal says", "Counting the cost", "The road ahead",
        ],
        quotes: &[
            "We have been talking about this for twenty years. Today we finally wrote it down.",
            "People here are tired, but they are not giving up.",
            "No single country can manage a river that runs through four of them.",
            "The next few weeks will show whether this holds.",
            "We need trucks, not speeches.",
        ],
        roles: &["a diplomat involved in the talks", "a relief coordinator", "a resident of the border region", "the foreign minister of {country}", "an economist based in {country2}"],
        picture: &["A river crossing on the border of {country}", "Aid workers unloading supplies", "The old town of {country}'s capital"],
    },
    Desk {
        slug: "business",
        headlines: &[
            "{company} to open new distribution hub outside {city}",
            "{company} profits rise {n}% on strong export demand",
            "Shares in {company} fall after chief executive steps down",
            "Small businesses in {city} report record holiday sales",
            "{company} and {company2} agree merger worth {n} billion",
            "Inflation eases for a third month as energy prices cool",
            "{company} to cut {n}00 jobs as orders slow",
            "Housing starts climb in {city} as mortgage rates dip",
            "Farmers in {city} turn to cooperatives to sell direct",
            "{company} unveils plan to run its fleet on hydrogen",
            "Retail footfall in {city} returns to pre-crisis levels",
            "Central bank holds rates steady and signals patience",
            "{company} wins contract to modernise the national grid",
            "Start-ups in {city} raise record sums from local investors",
            "Port of {city} reports busiest quarter in its history",
            "{company} pledges to pay suppliers within thirty days",
        ],
        ledes: &[
            "The figures, published on {weekday}, were better than most analysts had expected.",
            "For {company}, the move marks the biggest change in strategy since the company was founded.",
            "Traders in {city} had been waiting for this moment for weeks.",
            "Executives described the result as proof that a long and costly restructuring is finally paying off.",
        ],
        sentences: &[
            "Revenue for the quarter reached {n} million, up from a year earlier.",
            "The company said it would invest part of the proceeds in new machinery and training.",
            "Analysts at {company2} said the outlook for the coming year remained uncertain.",
            "Shares closed {n} percent higher after the announcement.",
            "Unions said they would seek assurances about jobs and working conditions.",
            "The new site in {city} is expected to employ several hundred people once it is fully running.",
            "Energy costs, which rose sharply last year, have started to weigh less on margins.",
            "Consumers have become more cautious, shifting spending from goods towards services.",
            "The board said the dividend would be maintained at last year's level.",
            "Smaller competitors warned that the deal could make it harder for them to win contracts.",
            "Exporters have benefited from a weaker currency and recovering demand abroad.",
            "The regulator is expected to review the transaction over the next six months.",
            "Local suppliers in {city} said the decision would bring welcome certainty.",
        ],
        subheads: &[
            "Behind the numbers", "What it means for jobs", "The market reaction", "A changing industry",
            "The outlook", "Winners and losers",
        ],
        quotes: &[
            "We built this plan for the long term, not for the next quarter.",
            "Customers are still spending, but they are choosing more carefully.",
            "For a town like {city}, a few hundred jobs make all the difference.",
            "The hard part is not the announcement. It is delivering it.",
            "We see steady growth, not a boom, and that suits us fine.",
        ],
        roles: &["the chief executive of {company}", "an analyst at {company2}", "a shop owner in {city}", "a union representative", "the finance director of {company}"],
        picture: &["Containers stacked at the port of {city}", "The trading floor at the start of the day", "A production line at {company}"],
    },
    Desk {
        slug: "lifestyle",
        headlines: &[
            "Ten quiet cafés in {city} worth the detour",
            "The slow return of the Sunday family lunch",
            "How to keep houseplants alive through a dark winter",
            "A baker in {city} who only sells what she can make by noon",
            "Why more people are learning to mend their own clothes",
            "The community garden that fed a whole street in {city}",
            "Winter soups from the kitchens of {city}",
            "Walking clubs are the new running clubs",
            "Inside the tiny flats that make the most of every metre",
            "A beginner's guide to cold-water swimming",
            "The market stall in {city} that sells forgotten apple varieties",
            "Seven habits for a calmer morning",
            "Why board game cafés are booming in {city}",
            "Meet the retirees teaching teenagers to cook",
            "The joy of the unplanned weekend",
            "A potter's studio in {city} opens its doors to beginners",
        ],
        ledes: &[
            "It starts, as these things often do, with a small idea and a borrowed kitchen.",
            "On a grey {weekday} morning in {city}, the queue is already out of the door.",
            "Ask anyone who has tried it and they will tell you the first week is the hardest.",
            "There is a particular kind of quiet that settles over {city} in the early hours.",
        ],
        sentences: &[
            "The idea is simple: fewer things, done with more care.",
            "Regulars arrive early, some with their own cups, most with time to talk.",
            "Prices are modest, and nothing on the menu costs more than a cinema ticket.",
            "Experts suggest starting small and building the habit over several weeks.",
            "Neighbours who had lived side by side for years met for the first time over the raised beds.",
            "The recipes are handed down, adjusted and argued over in equal measure.",
            "It helps, she says, to treat mistakes as part of the process rather than a reason to stop.",
            "Weekend workshops fill up within hours of being announced.",
            "The best time to go is mid-morning, after the rush and before the lunch crowd.",
            "What began as a hobby now supports two part-time jobs.",
            "A little planning goes a long way, but so does leaving room for surprises.",
            "Most of the ingredients come from farms within an hour of {city}.",
            "Participants range from students to grandparents, and nobody is in a hurry.",
        ],
        subheads: &[
            "Where it started", "How to begin", "What you need", "Why it works", "A word of warning",
            "Where to find it",
        ],
        quotes: &[
            "You don't need to be good at it. You just need to show up.",
            "People come for the bread and stay for the conversation.",
            "I wanted a place where nobody looks at their phone.",
            "It is the cheapest therapy I know.",
            "Everything here is made by someone who lives within walking distance.",
        ],
        roles: &["who runs the workshop", "a regular customer", "a nutritionist based in {city}", "who started the club", "a gardener in {city}"],
        picture: &["A sunny corner table in a café in {city}", "Hands shaping dough on a floured counter", "Raised beds in a community garden"],
    },
    Desk {
        slug: "opinion",
        headlines: &[
            "Our towns need libraries more than ever",
            "The four-day week deserves a fair trial",
            "Stop treating public transport as a luxury",
            "Why I changed my mind about city tolls",
            "We are asking too much of our teachers",
            "The case for planting a million trees in {city}",
            "Local news is worth paying for",
            "Budget surpluses are not a virtue in themselves",
            "Let young people into the room where decisions are made",
            "The countryside is not a museum",
            "Our hospitals run on goodwill, and goodwill is running out",
            "In praise of the boring bridge",
            "Housing is infrastructure, so build it like infrastructure",
            "What {city} can teach the capital about cycling",
            "A smarter way to spend the fuel tax",
            "Remote work is not the end of the office, but it should be the end of the commute",
        ],
        ledes: &[
            "Every few years we have the same argument, and every few years we reach the same unsatisfying conclusion.",
            "I used to believe the opposite of what I am about to argue.",
            "There is a comfortable story we tell ourselves about {city}, and it is no longer true.",
            "The numbers are not in dispute. What we do about them is.",
        ],
        sentences: &[
            "It is tempting to look for a single villain, but the truth is more ordinary than that.",
            "We have spent decades treating this as a cost rather than an investment.",
            "Other countries faced the same choice and made a different one, with results worth studying.",
            "None of this requires a revolution, only a willingness to try something for long enough to know whether it works.",
            "The people most affected are rarely the ones invited to the meetings where it is decided.",
            "A modest change in how we count the costs would change the answer entirely.",
            "The objections are familiar, and most of them have been answered elsewhere.",
            "If we wait for perfect evidence, we will wait forever.",
            "What is missing is not money, but patience and a little imagination.",
            "The best policies are often the dullest ones, quietly doing their work for generations.",
            "It would be easy to dismiss this as nostalgia, but the evidence points the other way.",
            "We should be honest about the trade-offs, and then make them deliberately.",
        ],
        subheads: &[
            "The argument against", "What the evidence says", "A better question", "What we should do",
            "Why it matters", "The cost of doing nothing",
        ],
        quotes: &[
            "A society is measured by what it builds for people it will never meet.",
            "The status quo is also a choice.",
            "Good ideas rarely arrive fully formed.",
            "We can afford it. The question is whether we can afford not to.",
        ],
        roles: &["a former mayor of {city}", "an urban planner", "a retired teacher", "a community organiser in {city}"],
        picture: &["A quiet street in {city} on a weekday morning", "Readers in a public library", "Commuters waiting on a platform"],
    },
    Desk {
        slug: "tech",
        headlines: &[
            "{tech} unveils a laptop designed to be repaired at home",
            "Startup from {city} raises funds for battery recycling plant",
            "New privacy rules force apps to explain what they collect",
            "{tech} opens research lab in {city} with {n}0 engineers",
            "Schools in {city} trial offline-first learning tablets",
            "Why open-source maps are quietly winning",
            "{tech} recalls smart thermostats after software fault",
            "Rural broadband rollout reaches {n}0,000 homes",
            "Engineers in {city} build a weather station network out of spare parts",
            "{tech} and {tech2} agree to share charging standard",
            "A programming club for pensioners fills up in days",
            "The quiet rise of the repairable phone",
            "{tech} promises ten years of updates for its devices",
            "Hospital in {city} uses new software to shorten waiting times",
            "Regulators question {tech} over data sharing with advertisers",
            "Robot lawnmowers are getting smarter, and quieter",
        ],
        ledes: &[
            "The device looks unremarkable, which, its designers say, is exactly the point.",
            "Engineers at {tech} have spent three years on a problem most of the industry prefers to ignore.",
            "In a converted warehouse on the edge of {city}, a small team is trying to change how we think about gadgets.",
            "The announcement on {weekday} was light on fanfare and heavy on technical detail.",
        ],
        sentences: &[
            "The company says most parts can be replaced with a single screwdriver.",
            "Early testers praised the battery life but noted the screen is dimmer than rivals'.",
            "Privacy advocates welcomed the move but said enforcement would be the real test.",
            "The software is released under an open licence, so others can inspect and improve it.",
            "The pilot will run for a full school year before the council decides whether to expand it.",
            "Engineers had to rewrite large parts of the code to run on older hardware.",
            "The network now covers {n}0 villages that previously had no reliable connection.",
            "Competitors are expected to follow within a year, analysts said.",
            "The recall affects devices sold over the past eighteen months.",
            "Users will be able to download their data in a standard format.",
            "The lab will focus on energy-efficient computing and low-power sensors.",
            "Volunteers in {city} have already installed more than a hundred of the stations.",
            "The regulator has given the company sixty days to respond to its questions.",
        ],
        subheads: &[
            "How it works", "What is new", "The catch", "Why it matters", "What users say",
            "The bigger picture",
        ],
        quotes: &[
            "If you can't open it, you don't really own it.",
            "We wanted something that still works in ten years.",
            "The hardest part was not the engineering. It was convincing people it was worth doing.",
            "Good technology should be boring to use.",
            "Data belongs to the people it describes.",
        ],
        roles: &["the lead engineer at {tech}", "a researcher in {city}", "a teacher taking part in the trial", "a privacy advocate", "the founder of {tech}"],
        picture: &["Circuit boards on a workbench in {city}", "A technician testing a prototype", "Engineers at work in the {tech} lab"],
    },
    Desk {
        slug: "travel",
        headlines: &[
            "Forty-eight hours in {city}: harbours, markets and late suppers",
            "The coastal railway of {country} is the slowest and best way to travel",
            "A winter walk along the cliffs of {city}",
            "Island-hopping in {country} without a car",
            "The mountain huts of {country} open for the season",
            "Why {city} is the best-kept secret of the north",
            "A night train to {country}, and the joy of arriving rested",
            "Canoeing the lakes south of {city}",
            "The old spice markets of {country} are busier than ever",
            "Cycling from {city} to the coast in three easy days",
            "Where to eat in {city}, according to the people who cook there",
            "Off-season in {country}: empty beaches and open doors",
            "The lighthouse keepers' cottages you can rent in {city}",
            "Following the old pilgrim road across {country}",
            "A family weekend in {city} for less than you'd think",
            "Snowshoeing in the forests of {country}",
        ],
        ledes: &[
            "The train pulls out of {city} just after dawn, and for the next four hours nobody seems in a hurry.",
            "There are faster ways to see {country}, but few better ones.",
            "By the time the ferry reaches the second island, the mainland is a thin grey line on the horizon.",
            "Arrive in {city} on a {weekday} evening and the whole town seems to be outside.",
        ],
        sentences: &[
            "Book ahead in summer, when the guesthouses fill up weeks in advance.",
            "The route is well marked, and the climbs are gentle enough for most walkers.",
            "Local buses connect the villages, though they run only a few times a day.",
            "Fresh fish is the thing to order, grilled simply and served with bread.",
            "A return ticket costs less than a tank of fuel.",
            "The views from the upper deck are worth the early start.",
            "Most museums close on Mondays, so plan accordingly.",
            "Pack layers: the weather on the coast can change within the hour.",
            "The old quarter is best explored on foot, ideally with no plan at all.",
            "Campsites along the lakes are basic but beautifully placed.",
            "Several families have run the same guesthouses for generations.",
            "Evenings are for long dinners and slow walks along the water.",
            "In the off-season, prices drop by as much as a third.",
        ],
        subheads: &[
            "Getting there", "Where to stay", "Where to eat", "What to do", "When to go",
            "Before you go",
        ],
        quotes: &[
            "People come for a weekend and end up staying a week.",
            "The trick is to travel slowly enough to notice things.",
            "In winter the town belongs to the locals again.",
            "Everyone who gets off this train is smiling.",
        ],
        roles: &["who runs a guesthouse in {city}", "a local guide", "a ferry captain", "a chef in {city}"],
        picture: &["The harbour of {city} in the morning light", "A train crossing a viaduct in {country}", "Hills above the lakes near {city}"],
    },
    Desk {
        slug: "press-release",
        headlines: &[
            "{company} announces new apprenticeship programme in {city}",
            "{company} completes expansion of its {city} plant",
            "{company} appoints {person} as chief operating officer",
            "{tech} launches community grants for digital skills",
            "{company} publishes annual sustainability report",
            "{company} partners with {city} college on engineering courses",
            "{company} opens customer service centre in {city}",
            "{tech} releases new version of its open mapping toolkit",
            "{company} sponsors {city} marathon for the fifth year",
            "{company} reaches milestone of {n} million customers",
            "{tech} joins national initiative on accessible software",
            "{company} introduces new electric delivery vans in {city}",
        ],
        ledes: &[
            "{company} today announced a new initiative aimed at supporting the community in {city}.",
            "{company} is pleased to share an important milestone in its long-term plan.",
            "{city}, {weekday} — {company} announced a new step in its growth strategy today.",
        ],
        sentences: &[
            "The programme will open for applications next month.",
            "The investment is part of a five-year plan announced last spring.",
            "More details are available from the company's press office.",
            "The company employs more than {n}00 people across the region.",
            "Partners include local schools, colleges and community organisations.",
            "The new facilities meet the latest energy-efficiency standards.",
            "The initiative builds on a pilot that ran successfully last year.",
            "Customers will be able to use the new service from the start of the next quarter.",
            "The company will report on progress in its next annual review.",
        ],
        subheads: &["About the programme", "Key facts", "About the company", "Availability"],
        quotes: &[
            "We are proud to invest in the people and places that have supported us for years.",
            "This is an important step for our customers and for our team.",
            "Our commitment to {city} has never been stronger.",
        ],
        roles: &["chief executive of {company}", "director of communications at {company}", "head of operations at {company}"],
        picture: &["The headquarters of {company} in {city}", "Apprentices at work in the {city} workshop"],
    },
];

/// Sentences that fit any story; mixed into every desk's own so long articles do not repeat.
const GENERAL: &[&str] = &[
    "The details were confirmed in a statement released later the same day.",
    "Further announcements are expected in the coming weeks.",
    "Not everyone is convinced.",
    "Similar efforts elsewhere have produced mixed results.",
    "For now, much depends on how quickly the first changes can be seen.",
    "A public consultation will run until the end of next month.",
    "Those involved say the first results should be visible by the summer.",
    "The reaction in {city} was largely positive, if cautious.",
    "Few expected things to move this quickly.",
    "Officials declined to say how long the process might take.",
    "A full report is due to be published before the end of the year.",
    "The figures have not yet been independently verified.",
    "It is the first change of its kind in more than a decade.",
    "Some residents say they learned about the plan only this week.",
    "Others point out that the idea has been discussed, on and off, for years.",
    "The decision is likely to be reviewed after twelve months.",
];

const WEEKDAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// What a headline's slots were filled with, so the body speaks of the same things.
pub struct Cast {
    pub city: &'static str,
    pub country: &'static str,
    pub country2: &'static str,
    pub company: &'static str,
    pub company2: &'static str,
    pub tech: &'static str,
    pub tech2: &'static str,
    pub party: &'static str,
    pub person: String,
    pub n: u32,
    pub weekday: &'static str,
}

fn pick<'a>(rng: &mut Rng, list: &'a [&'a str]) -> &'a str {
    list[rng.usize(..list.len())]
}

fn two_distinct(rng: &mut Rng, list: &'static [&'static str]) -> (&'static str, &'static str) {
    let a = rng.usize(..list.len());
    let b = (a + 1 + rng.usize(..list.len() - 1)) % list.len();
    (list[a], list[b])
}

impl Cast {
    pub fn new(rng: &mut Rng) -> Self {
        let (country, country2) = two_distinct(rng, COUNTRIES);
        let (company, company2) = two_distinct(rng, COMPANIES);
        let (tech, tech2) = two_distinct(rng, TECH_FIRMS);
        Cast {
            city: pick(rng, CITIES),
            country,
            country2,
            company,
            company2,
            tech,
            tech2,
            party: pick(rng, PARTIES),
            person: format!("{} {}", pick(rng, FIRST), pick(rng, LAST)),
            n: rng.u32(2..40),
            weekday: pick(rng, WEEKDAYS),
        }
    }

    pub fn fill(&self, template: &str) -> String {
        template
            .replace("{city}", self.city)
            .replace("{country2}", self.country2)
            .replace("{country}", self.country)
            .replace("{company2}", self.company2)
            .replace("{company}", self.company)
            .replace("{tech2}", self.tech2)
            .replace("{tech}", self.tech)
            .replace("{party}", self.party)
            .replace("{person}", &self.person)
            .replace("{n}", &self.n.to_string())
            .replace("{weekday}", self.weekday)
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

pub struct Written {
    pub title: String,
    pub excerpt: String,
    pub body_md: String,
    pub picture_alt: String,
    pub figure_alt: String,
}

/// Writes one article for `desk` from headline template `headline`.
/// `figure_url` is the in-body illustration, placed after the first section.
pub fn write(
    desk: &Desk,
    headline: &str,
    rng: &mut Rng,
    figure_url: &str,
    credit: &str,
) -> Written {
    let cast = Cast::new(rng);
    let title = capitalise(&cast.fill(headline));
    let mut sentences: Vec<&str> = desk.sentences.iter().chain(GENERAL).copied().collect();
    rng.shuffle(&mut sentences);
    let mut sentences = sentences.into_iter().cycle();
    let mut subheads: Vec<&str> = desk.subheads.to_vec();
    rng.shuffle(&mut subheads);

    let paragraph = |rng: &mut Rng, sentences: &mut dyn Iterator<Item = &str>| -> String {
        let count = rng.usize(2..=3);
        (0..count)
            .map(|_| cast.fill(sentences.next().unwrap_or_default()))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let quote = |rng: &mut Rng| -> String {
        let who = format!("{} {}", pick(rng, FIRST), pick(rng, LAST));
        let role = cast.fill(pick(rng, desk.roles));
        let mut said = cast.fill(pick(rng, desk.quotes));
        // A quote that introduces its speaker ends with a comma: “…,” said X.
        if said.ends_with('.') {
            said.pop();
            said.push(',');
        }
        if role.starts_with("who ") {
            format!("“{said}” says {who}, {role}.")
        } else {
            format!("“{said}” said {who}, {role}.")
        }
    };

    let lede = format!(
        "{} {}",
        cast.fill(pick(rng, desk.ledes)),
        paragraph(rng, &mut sentences)
    );
    let excerpt = {
        let first = lede.split_inclusive(". ").next().unwrap_or(&lede).trim();
        first.chars().take(220).collect::<String>()
    };

    let total_paragraphs = rng.usize(5..=12);
    let sections = if total_paragraphs >= 9 { 3 } else { 2 };
    let mut md = String::with_capacity(4096);
    md.push_str(&lede);
    md.push_str("\n\n");
    md.push_str(&paragraph(rng, &mut sentences));
    md.push_str("\n\n");
    let mut written = 2;
    let picture = cast.fill(pick(rng, desk.picture));
    for s in 0..sections {
        md.push_str("## ");
        md.push_str(&cast.fill(subheads[s % subheads.len()]));
        md.push_str("\n\n");
        let remaining_sections = sections - s;
        let here = ((total_paragraphs - written) / remaining_sections).max(1);
        for p in 0..here {
            if p == 1 || (here == 1 && s == 1) {
                md.push_str(&quote(rng));
                md.push(' ');
            }
            md.push_str(&paragraph(rng, &mut sentences));
            md.push_str("\n\n");
            written += 1;
        }
        if s == 0 {
            md.push_str(&format!(
                "![{picture}]({figure_url} \"{picture}. | © {credit}\")\n\n"
            ));
        }
    }
    Written {
        title,
        excerpt,
        body_md: md,
        picture_alt: cast.fill(pick(rng, desk.picture)),
        figure_alt: picture,
    }
}

impl Written {
    /// The featured picture's caption: its description as a sentence.
    pub fn figure_alt_caption(&self) -> String {
        format!("{}.", self.picture_alt)
    }
}

/// The tags of the demo's desks: an article carries two of its desk's.
const DESK_TAGS: &[(&str, &[&str])] = &[
    (
        "politics",
        &[
            "Elections",
            "Housing",
            "Budget",
            "Parliament",
            "Local government",
            "Transport",
        ],
    ),
    (
        "world",
        &[
            "Climate",
            "Diplomacy",
            "Trade",
            "Elections",
            "Migration",
            "Rivers",
        ],
    ),
    (
        "business",
        &[
            "Exports", "Jobs", "Energy", "Retail", "Shipping", "Startups",
        ],
    ),
    (
        "lifestyle",
        &["Food", "Family", "Gardens", "Health", "Books", "Cafés"],
    ),
    (
        "opinion",
        &[
            "Libraries",
            "Work",
            "Housing",
            "Schools",
            "Cities",
            "Climate",
        ],
    ),
    (
        "tech",
        &[
            "Batteries",
            "Repair",
            "Privacy",
            "Startups",
            "Energy",
            "Phones",
        ],
    ),
    (
        "travel",
        &["Railways", "Coast", "Markets", "Islands", "Walking", "Food"],
    ),
    (
        "press-release",
        &[
            "Apprenticeships",
            "Jobs",
            "Shipping",
            "Energy",
            "Retail",
            "Exports",
        ],
    ),
];

/// The two tags of the `n`th article of `desk` (the same two for the same `n`).
pub fn tags(desk: &str, n: usize) -> Vec<String> {
    let Some((_, tags)) = DESK_TAGS.iter().find(|(d, _)| *d == desk) else {
        return Vec::new();
    };
    let first = n % tags.len();
    let second = (first + 1 + (n / tags.len()) % (tags.len() - 1)) % tags.len();
    vec![tags[first].to_string(), tags[second].to_string()]
}

/// The demo's pages: (slug, title, parent's slug, body in Markdown), parents first. The footer
/// links to those marked, in this order.
pub const PAGES: &[(&str, &str, Option<&str>, bool, &str)] = &[
    (
        "about-us",
        "About us",
        None,
        true,
        "We are an independent newspaper for the harbour towns of the coast, written by a \
         newsroom of twelve people and a network of contributors along the shore.\n\n\
         We report on the councils that decide how the towns grow, on the businesses and \
         the people who keep them running, and on the world as it reaches our quays.\n\n\
         ## What we stand for\n\n\
         - We check before we publish, and we say so when we got something wrong.\n\
         - We keep news and opinion apart, and we label opinion as such.\n\
         - We take no money from the people we write about.",
    ),
    (
        "our-team",
        "Our team",
        Some("about-us"),
        true,
        "Our editors and reporters each follow one beat; the desk that edits a story is \
         named under it.\n\n\
         Every writer has a page of their own: follow a byline to read who they are and \
         what else they wrote.",
    ),
    (
        "contact",
        "Contact",
        None,
        true,
        "**Newsroom:** newsroom@example.org (tips, corrections, letters to the editor)\n\n\
         **Advertising:** ads@example.org\n\n\
         **Post:** 12 Quay Street, Harbour Town\n\n\
         We read every message; we answer those we can.",
    ),
    (
        "corrections-policy",
        "Corrections policy",
        Some("about-us"),
        false,
        "When we get a fact wrong we correct the article and add a dated note under it that \
         says what changed. We never change a published article silently.\n\n\
         To report an error, write to newsroom@example.org with the article's address.",
    ),
    (
        "imprint",
        "Imprint",
        None,
        true,
        "Published by the Meridian Press Cooperative, 12 Quay Street, Harbour Town.\n\n\
         Editor-in-chief: the chief editor of the week (a demo site has no real people).\n\n\
         Registered in the demo register under no. 0000.",
    ),
    (
        "privacy",
        "Privacy",
        None,
        true,
        "Readers are not tracked: this site sets no cookies for readers and keeps no \
         addresses of them. The newsroom's own log-ins use one session cookie.\n\n\
         Server logs keep a request's time, address and path for seven days, to keep the \
         site running.",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_slot_is_filled() {
        let mut rng = Rng::with_seed(7);
        for desk in DESKS {
            for h in desk.headlines {
                let w = write(desk, h, &mut rng, "/media/x.svg", "Meridian Photo Desk");
                for text in [&w.title, &w.body_md, &w.excerpt, &w.picture_alt] {
                    assert!(
                        !text.contains('{') && !text.contains('}'),
                        "unfilled slot in {text}"
                    );
                }
                let paragraphs = w
                    .body_md
                    .split("\n\n")
                    .filter(|p| {
                        !p.starts_with("##") && !p.starts_with("![") && !p.trim().is_empty()
                    })
                    .count();
                assert!(
                    (5..=12).contains(&paragraphs),
                    "{paragraphs} paragraphs in {}",
                    w.title
                );
                assert!(w.body_md.contains("\n## "), "no subheading");
            }
        }
    }
}
