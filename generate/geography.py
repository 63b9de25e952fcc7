"""US states grouped into the bank's five sales regions, with population weights, cities and offices."""

from __future__ import annotations

import numpy as np

REGIONS = ("Northeast", "Southeast", "Midwest", "Southwest", "West")

# state: (region, population in millions, cities by size)
STATES: dict[str, tuple[str, float, tuple[str, ...]]] = {
    "CT": ("Northeast", 3.6, ("Bridgeport", "New Haven", "Hartford", "Stamford")),
    "ME": ("Northeast", 1.4, ("Portland", "Lewiston", "Bangor")),
    "MA": ("Northeast", 7.0, ("Boston", "Worcester", "Springfield", "Cambridge")),
    "NH": ("Northeast", 1.4, ("Manchester", "Nashua", "Concord")),
    "RI": ("Northeast", 1.1, ("Providence", "Warwick", "Cranston")),
    "VT": ("Northeast", 0.6, ("Burlington", "Rutland")),
    "NJ": ("Northeast", 9.3, ("Newark", "Jersey City", "Paterson", "Trenton")),
    "NY": ("Northeast", 19.6, ("New York", "Buffalo", "Rochester", "Yonkers", "Syracuse", "Albany")),
    "PA": ("Northeast", 13.0, ("Philadelphia", "Pittsburgh", "Allentown", "Erie", "Harrisburg")),
    "DE": ("Southeast", 1.0, ("Wilmington", "Dover", "Newark")),
    "MD": ("Southeast", 6.2, ("Baltimore", "Columbia", "Germantown", "Annapolis")),
    "DC": ("Southeast", 0.7, ("Washington",)),
    "VA": ("Southeast", 8.7, ("Virginia Beach", "Norfolk", "Richmond", "Arlington", "Alexandria")),
    "WV": ("Southeast", 1.8, ("Charleston", "Huntington", "Morgantown")),
    "KY": ("Southeast", 4.5, ("Louisville", "Lexington", "Bowling Green")),
    "TN": ("Southeast", 7.1, ("Nashville", "Memphis", "Knoxville", "Chattanooga")),
    "NC": ("Southeast", 10.8, ("Charlotte", "Raleigh", "Greensboro", "Durham", "Winston-Salem")),
    "SC": ("Southeast", 5.3, ("Charleston", "Columbia", "Greenville")),
    "GA": ("Southeast", 11.0, ("Atlanta", "Augusta", "Columbus", "Savannah")),
    "FL": ("Southeast", 22.6, ("Jacksonville", "Miami", "Tampa", "Orlando", "St. Petersburg", "Tallahassee")),
    "AL": ("Southeast", 5.1, ("Birmingham", "Huntsville", "Montgomery", "Mobile")),
    "MS": ("Southeast", 2.9, ("Jackson", "Gulfport", "Southaven")),
    "AR": ("Southeast", 3.1, ("Little Rock", "Fayetteville", "Fort Smith")),
    "LA": ("Southeast", 4.6, ("New Orleans", "Baton Rouge", "Shreveport", "Lafayette")),
    "OH": ("Midwest", 11.8, ("Columbus", "Cleveland", "Cincinnati", "Toledo", "Akron")),
    "IN": ("Midwest", 6.9, ("Indianapolis", "Fort Wayne", "Evansville")),
    "IL": ("Midwest", 12.5, ("Chicago", "Aurora", "Naperville", "Rockford", "Springfield")),
    "MI": ("Midwest", 10.0, ("Detroit", "Grand Rapids", "Warren", "Ann Arbor", "Lansing")),
    "WI": ("Midwest", 5.9, ("Milwaukee", "Madison", "Green Bay")),
    "MN": ("Midwest", 5.7, ("Minneapolis", "Saint Paul", "Rochester", "Duluth")),
    "IA": ("Midwest", 3.2, ("Des Moines", "Cedar Rapids", "Davenport")),
    "MO": ("Midwest", 6.2, ("Kansas City", "St. Louis", "Springfield", "Columbia")),
    "ND": ("Midwest", 0.8, ("Fargo", "Bismarck")),
    "SD": ("Midwest", 0.9, ("Sioux Falls", "Rapid City")),
    "NE": ("Midwest", 2.0, ("Omaha", "Lincoln")),
    "KS": ("Midwest", 2.9, ("Wichita", "Overland Park", "Kansas City", "Topeka")),
    "AZ": ("Southwest", 7.4, ("Phoenix", "Tucson", "Mesa", "Chandler", "Scottsdale")),
    "NM": ("Southwest", 2.1, ("Albuquerque", "Las Cruces", "Santa Fe")),
    "TX": ("Southwest", 30.5, ("Houston", "San Antonio", "Dallas", "Austin", "Fort Worth", "El Paso")),
    "OK": ("Southwest", 4.1, ("Oklahoma City", "Tulsa", "Norman")),
    "CO": ("West", 5.9, ("Denver", "Colorado Springs", "Aurora", "Fort Collins", "Boulder")),
    "WY": ("West", 0.6, ("Cheyenne", "Casper")),
    "MT": ("West", 1.1, ("Billings", "Missoula", "Bozeman")),
    "ID": ("West", 1.9, ("Boise", "Meridian", "Nampa")),
    "WA": ("West", 7.8, ("Seattle", "Spokane", "Tacoma", "Bellevue")),
    "OR": ("West", 4.2, ("Portland", "Eugene", "Salem")),
    "UT": ("West", 3.4, ("Salt Lake City", "West Valley City", "Provo")),
    "NV": ("West", 3.2, ("Las Vegas", "Henderson", "Reno")),
    "CA": ("West", 39.0, ("Los Angeles", "San Diego", "San Jose", "San Francisco", "Fresno", "Sacramento")),
    "AK": ("West", 0.7, ("Anchorage", "Fairbanks")),
    "HI": ("West", 1.4, ("Honolulu", "Hilo")),
}

# Offices (branches) of each region, named after the city they are in.
OFFICES: dict[str, tuple[str, ...]] = {
    "Northeast": ("New York", "Boston", "Philadelphia", "Hartford"),
    "Southeast": ("Atlanta", "Miami", "Charlotte", "Nashville"),
    "Midwest": ("Chicago", "Detroit", "Minneapolis", "Columbus"),
    "Southwest": ("Dallas", "Houston", "Phoenix", "Albuquerque"),
    "West": ("Los Angeles", "San Francisco", "Seattle", "Denver"),
}

STATE_CODES = tuple(STATES)
STATE_REGION = np.array([REGIONS.index(STATES[s][0]) for s in STATE_CODES], dtype=np.int16)
STATE_WEIGHTS = np.array([STATES[s][1] for s in STATE_CODES])
REGION_WEIGHTS = np.bincount(STATE_REGION, weights=STATE_WEIGHTS, minlength=len(REGIONS)) / STATE_WEIGHTS.sum()

# Every (state, city) pair, with a weight that falls with the city's rank in its state.
CITY_NAMES = tuple(city for s in STATE_CODES for city in STATES[s][2])
CITY_WEIGHTS = np.array([1.0 / (rank + 1) for s in STATE_CODES for rank in range(len(STATES[s][2]))])
CITY_START = np.concatenate(([0], np.cumsum([len(STATES[s][2]) for s in STATE_CODES])))

OFFICE_NAMES = tuple(office for region in REGIONS for office in OFFICES[region])
OFFICES_PER_REGION = len(OFFICES[REGIONS[0]])
assert all(len(OFFICES[r]) == OFFICES_PER_REGION for r in REGIONS)


def draw_cities(rng: np.random.Generator, state_codes: np.ndarray) -> np.ndarray:
    """A city code (index into CITY_NAMES) inside each row's state, bigger cities more often."""
    start, stop = CITY_START[state_codes], CITY_START[state_codes + 1]
    # Within-state weights are 1, 1/2, 1/3...: draw by inverting the cumulative weights of the state's slice.
    cumulative = np.cumsum(CITY_WEIGHTS)
    before = np.where(start > 0, cumulative[start - 1], 0.0)
    target = before + rng.random(state_codes.size) * (cumulative[stop - 1] - before)
    return np.minimum(np.searchsorted(cumulative, target, side="right"), stop - 1)


def draw_offices(rng: np.random.Generator, region_codes: np.ndarray) -> np.ndarray:
    """An office code (index into OFFICE_NAMES) in each row's region; the first office is the biggest."""
    weights = np.array([0.4, 0.25, 0.2, 0.15])
    within = rng.choice(OFFICES_PER_REGION, size=region_codes.size, p=weights)
    return region_codes.astype(np.int64) * OFFICES_PER_REGION + within
