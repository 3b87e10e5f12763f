"""The demo partnership's plan, written for the demo in our own words.

Shaped like a real progress table (Priority | Action | Lead Agency | Update): four priorities,
about 25 actions, some led by several agencies and some by "All". Agency keys are short names.
"""

AGENCIES = [
    ("police", "Police", "Wessex Valley Police"),
    ("council", "City Council", "Riverton City Council"),
    ("probation", "Probation", "Probation Service (Riverton)"),
    ("fire", "Fire and Rescue", "Wessex Valley Fire and Rescue Service"),
    ("yjs", "Youth Justice", "Riverton Youth Justice Service"),
    ("health", "Public Health", "Riverton Public Health"),
    ("icb", "NHS", "Riverton NHS Integrated Care Board"),
    ("housing", "Housing", "Riverton Housing Partnership"),
    ("victims", "Victim Care", "Riverton Victim Care Hub"),
    ("recovery", "Recovery", "Riverton Drug and Alcohol Recovery Service"),
]
OUTSIDER_AGENCY = ("outside", "Neighbouring council", "Eastbrook District Council")

# (priority title, [(action text, lead keys or "All", supporting keys), ...])
PRIORITIES = [
    ("Cut crime, reoffending and anti-social behaviour", [
        ("Help residents, especially in the most deprived neighbourhoods, learn how to protect "
         "themselves from crime and feel confident to report it.", "All", []),
        ("Hold regular neighbourhood meetings so residents can raise the local problems that "
         "matter most to them, and report back on what was done.", ["police"], ["council"]),
        ("Use the strategic assessment and monthly hotspot analysis to direct patrols and "
         "prevention work where crime is rising.", ["police"], ["council"]),
        ("Give victims of hate crime more ways to report, including third-party reporting "
         "centres, and review hate crime trends every quarter.", ["police", "council"],
         ["victims"]),
        ("Work with probation to get people leaving prison into housing, treatment and work "
         "quickly, so fewer reoffend.", ["probation"], ["housing", "recovery"]),
        ("Tackle persistent anti-social behaviour through joint problem-solving plans for the "
         "worst-affected streets.", ["council", "police"], ["housing"]),
        ("Work with shops and businesses in the city centre to reduce repeat burglary and "
         "shoplifting.", ["police"], []),
    ]),
    ("Reduce the harm caused by drugs and alcohol", [
        ("Deliver the city's alcohol plan with the licensing team, focusing on violence near "
         "late-night venues.", "All", ["health"]),
        ("Disrupt drug supply lines into the city and protect people whose homes are taken "
         "over by dealers.", ["police"], ["housing", "council"]),
        ("Increase the number of people starting and completing drug and alcohol treatment.",
         ["recovery"], ["health", "probation"]),
        ("Review every drug-related death to learn what services could have done "
         "differently.", ["health"], ["recovery", "icb"]),
        ("Run an awareness campaign on drug-related litter and how to report it safely.",
         ["council"], []),
        ("Offer an alcohol advice line for people who drink at harmful levels but are not "
         "dependent.", ["recovery"], ["health"]),
    ]),
    ("Protect vulnerable people", [
        ("Carry out the domestic abuse strategy with partners and monitor demand on refuge "
         "and outreach services.", ["council"], ["police", "victims"]),
        ("Make sure every high-risk domestic abuse case is heard at the risk assessment "
         "conference within two weeks of referral.", ["police"], ["victims", "council"]),
        ("Train frontline staff across the partnership to spot and refer signs of exploitation "
         "and modern slavery.", "All", []),
        ("Provide safe and well visits to older and disabled residents at highest risk of "
         "fire and crime.", ["fire"], ["icb"]),
        ("Reduce repeat victimisation by offering every victim of five or more crimes a "
         "named caseworker.", ["victims"], ["police"]),
        ("Agree a joint protocol for people in mental health crisis who come into contact "
         "with the police.", ["icb", "police"], []),
    ]),
    ("Prevent young people from getting involved in crime and violence", [
        ("Offer diversion to every young person arrested for a first, low-level offence so "
         "fewer enter the justice system.", ["yjs"], ["police"]),
        ("Place youth workers in the emergency department to reach young people injured by "
         "violence.", ["icb"], ["yjs"]),
        ("Deliver knife crime education in every secondary school.", ["police", "council"],
         ["yjs"]),
        ("Map young people at risk of criminal exploitation and agree a plan for each one.",
         ["council"], ["police", "yjs"]),
        ("Expand evening and weekend activities in the neighbourhoods with most youth "
         "violence.", ["council"], ["fire"]),
        ("Support families of young people in the justice system through parenting "
         "programmes.", ["yjs"], ["council"]),
    ]),
]

# Indicators per priority number: (name, metric, direction, target)
INDICATORS = {
    1: [("Recorded crime", "recorded_crime", "down", None),
        ("Anti-social behaviour incidents", "asb_incidents", "down", None),
        ("Hate crime (more reporting is welcome)", "hate_crime", "up", None),
        ("Residential burglary", "residential_burglary", "down", None)],
    2: [("Drug offences (more enforcement is welcome)", "drug_offences", "up", None),
        ("Alcohol-affected crime", "alcohol_affected_crime", "down", None),
        ("Drug-affected crime", "drug_affected_crime", "down", None),
        ("Night-time economy crime", "night_time_economy_crime", "down", None)],
    3: [("Domestic violent crime", "domestic_violent_crime", "down", None),
        ("Repeat victims of five or more crimes", "repeat_victims_5plus", "down", None),
        ("Sexual offences", "sexual_offences", "down", None)],
    4: [("First-time entrants to youth justice", "fte_rate", "down", None),
        ("Youth proven re-offending", "youth_reoffending", "down", None),
        ("Most serious violence", "most_serious_violence", "down", None),
        ("Knife and bladed-implement crime", "bladed_implement_offences", "down", None)],
}

# Short update texts for the demo cycles, by RAG status.
UPDATE_TEXT = {
    "green": "On track. The work planned for this period has been delivered and the next "
             "steps are agreed with partners.",
    "amber": "Some delay. Staffing gaps slowed progress this quarter; a recovery plan is "
             "agreed and we expect to be back on track by the next meeting.",
    "red": "At risk. Funding for this work is not yet confirmed; the partnership board is "
           "asked to help find a solution.",
    "complete": "Complete. The action has been delivered and the learning shared with "
                "partners.",
}

# (user name, first, last, agency key, role, job title)
PEOPLE = [
    ("coordinator", "Chris", "Morgan", "council", "coordinator",
     "Community safety partnership coordinator"),
    ("analyst", "Priya", "Shah", "police", "analyst", "Police performance analyst"),
    ("police-lead", "Paula", "Reid", "police", "lead", "Police district commander"),
    ("council-lead", "Cath", "Osei", "council", "lead", "Council community safety manager"),
    ("probation-lead", "Peter", "Lowe", "probation", "lead", "Probation head of service"),
    ("councillor", "Sam", "Hughes", "council", "member", "Councillor, scrutiny panel"),
    ("admin", "Ada", "Brooks", "council", "administrator", "Systems administrator"),
    ("hate-coordinator", "Hana", "Iqbal", "council", "hate_coordinator",
     "Hate crime coordinator"),
    ("youth-justice", "Yusuf", "Adeyemi", "council", "youth_justice",
     "Youth justice service manager"),
    ("outsider", "Olly", "Grant", "outside", "lead", "Community safety officer"),
]
