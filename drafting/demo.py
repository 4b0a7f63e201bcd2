"""The zero draft loaded by ``manage.py load_demo``: sections and clauses, in our own words."""

TITLE = "International Code of Conduct for Responsible State Behaviour in Cyberspace"
SUMMARY = (
    "Zero draft for the first reading. Governments, industry, academia and civil society propose "
    "amendments clause by clause; text in square brackets is not yet agreed."
)

# The document's identity on everything the secretariat circulates.
SYMBOL = "CCC/2026/L.1"
ISSUING_BODY = "Secretariat of the Code of Conduct negotiation"

# Sections that are the preamble: their paragraphs are preambular (PP), the others operative (OP).
PREAMBLE_SECTIONS = {"Preamble"}

# The sources delegations cite for a clause: exported as its footnote.
RATIONALE = {
    "Protection of critical infrastructure": (
        "General Assembly resolution 58/199 of 23 December 2003, Creation of a global culture of "
        "cybersecurity and the protection of critical information infrastructures."
    ),
    "Collection of electronic evidence": (
        "Council of Europe Convention on Cybercrime (Budapest Convention, ETS No. 185), articles 16 to 21."
    ),
    "The Charter of the United Nations applies": (
        "Report of the Group of Governmental Experts, A/70/174 (2015), paragraph 24."
    ),
}

# (section title, [(clause title, status, text)])
SECTIONS = [
    (
        "Preamble",
        [
            (
                "Purpose",
                "agreed",
                "Recognising that information and communications technologies (ICTs) underpin the "
                "economic and social life of every nation, and that their misuse threatens "
                "international peace and security, the participants set out this code of conduct "
                "to guide responsible behaviour in cyberspace.",
            ),
            (
                "Shared responsibility",
                "bracketed",
                "Acknowledging that States bear the primary responsibility for maintaining a secure "
                "and peaceful ICT environment, while industry, academia and civil society hold "
                "knowledge and capabilities without which that responsibility cannot be met.",
            ),
        ],
    ),
    (
        "Principles",
        [
            (
                "The Charter of the United Nations applies",
                "agreed",
                "International law, and in particular the Charter of the United Nations in its "
                "entirety, is applicable to the use of ICTs by States and is essential to "
                "maintaining peace and stability in cyberspace.",
            ),
            (
                "Sovereignty",
                "agreed",
                "State sovereignty and the international norms and principles that flow from it "
                "apply to State conduct of ICT-related activities and to their jurisdiction over "
                "ICT infrastructure within their territory.",
            ),
            (
                "Peaceful settlement of disputes",
                "proposed",
                "States shall settle their international disputes arising from the use of ICTs by "
                "peaceful means, such as negotiation, enquiry, mediation, conciliation, arbitration "
                "and judicial settlement, in such a manner that international peace, security and "
                "justice are not endangered.",
            ),
        ],
    ),
    (
        "Voluntary norms of responsible State behaviour",
        [
            (
                "Cooperation for stability",
                "agreed",
                "States should cooperate in developing and applying measures to increase stability and "
                "security in the use of ICTs and to prevent ICT practices that are harmful or may "
                "threaten international peace and security.",
            ),
            (
                "Considering all relevant information",
                "agreed",
                "In case of ICT incidents, States should consider all relevant information, including "
                "the larger context of the event, the challenges of attribution in the ICT environment "
                "and the nature and extent of the consequences.",
            ),
            (
                "No knowing use of territory for wrongful acts",
                "agreed",
                "States should not knowingly allow their territory to be used for internationally "
                "wrongful acts using ICTs.",
            ),
            (
                "Cooperation against criminal and terrorist use",
                "agreed",
                "States should consider how best to cooperate to exchange information, assist each "
                "other, and prosecute terrorist and criminal use of ICTs.",
            ),
            (
                "Human rights online",
                "bracketed",
                "States, in ensuring the secure use of ICTs, should respect the resolutions of the "
                "Human Rights Council and the General Assembly on the promotion, protection and "
                "enjoyment of human rights on the Internet, including the right to freedom of "
                "expression [and the right to privacy in the digital age].",
            ),
            (
                "Protection of critical infrastructure",
                "agreed",
                "States should not conduct or knowingly support ICT activity that intentionally "
                "damages critical infrastructure or otherwise impairs its use and operation to provide "
                "services to the public.",
            ),
            (
                "Resilience of critical infrastructure",
                "agreed",
                "States should take appropriate measures to protect their critical infrastructure from "
                "ICT threats, taking into account General Assembly resolution 58/199.",
            ),
            (
                "Responding to requests for assistance",
                "proposed",
                "States should respond to appropriate requests for assistance by another State whose "
                "critical infrastructure is subject to malicious ICT acts, and respond to requests to "
                "mitigate malicious ICT activity aimed at another State emanating from their territory.",
            ),
            (
                "Integrity of the supply chain",
                "agreed",
                "States should take reasonable steps to ensure the integrity of the supply chain so "
                "that end users can have confidence in the security of ICT products, and should seek "
                "to prevent the proliferation of malicious ICT tools and techniques and the use of "
                "harmful hidden functions.",
            ),
            (
                "Reporting vulnerabilities",
                "bracketed",
                "States should encourage responsible reporting of ICT vulnerabilities and share "
                "associated information on available remedies, in order to limit and possibly "
                "eliminate potential threats to ICTs and ICT-dependent infrastructure.",
            ),
            (
                "Protecting emergency response teams",
                "agreed",
                "States should not conduct or knowingly support activity to harm the information "
                "systems of the authorised emergency response teams of another State, and should not "
                "use authorised emergency response teams to engage in malicious international activity.",
            ),
        ],
    ),
    (
        "Cooperation against cybercrime",
        [
            (
                "Information sharing",
                "agreed",
                "Participants should establish points of contact available around the clock to share "
                "information on cyber incidents and threats in a timely, trusted and reciprocal manner.",
            ),
            (
                "Collection of electronic evidence",
                "proposed",
                "States should adopt the legislative measures needed to preserve and obtain electronic "
                "evidence expeditiously, with conditions and safeguards that protect human rights and "
                "apply the principle of proportionality, consistent with the Budapest Convention.",
            ),
            (
                "Prosecution and mutual legal assistance",
                "bracketed",
                "States should afford one another the widest measure of mutual legal assistance in "
                "investigations and proceedings concerning criminal offences related to computer "
                "systems and data, [including through expedited channels for urgent requests].",
            ),
        ],
    ),
    (
        "Capacity building",
        [
            (
                "Closing the digital divide",
                "agreed",
                "Participants should support capacity building, in particular for developing "
                "countries, to strengthen their ability to protect ICT infrastructure, implement the "
                "norms of this code and take part in its review.",
            ),
            (
                "Role of regional organizations",
                "proposed",
                "Regional and sub-regional organizations should be encouraged to develop confidence-"
                "building measures and to channel capacity-building programmes to where they are most "
                "needed, with the participation of industry, academia and civil society.",
            ),
        ],
    ),
    (
        "Implementation and review",
        [
            (
                "National implementation",
                "agreed",
                "Each State should report on its national implementation of this code on a voluntary "
                "basis, describing the laws, policies and institutions through which it gives effect "
                "to the norms.",
            ),
            (
                "Review conference",
                "proposed",
                "The participants shall review the implementation of this code every [two] [three] "
                "years in an inclusive meeting open to all stakeholder groups.",
            ),
        ],
    ),
]

ORGANIZATIONS = [
    ("Ministry of Foreign Affairs of Estonia", "government", "EE"),
    ("Federal Foreign Office of Brazil", "government", "BR"),
    ("Kenya ICT Authority", "government", "KE"),
    ("Global Cloud Alliance", "industry", "US"),
    ("Tokyo Telecom Group", "industry", "JP"),
    ("University of Geneva Cyber Law Centre", "academia", "CH"),
    ("Digital Rights Watch", "civil_society", "DE"),
    ("Access for All Network", "civil_society", "IN"),
]

# (username, role in the draft or "admin", organization index)
# The people of the demo who vote: a verified person of each stakeholder group.
PEOPLE_WHO_VOTE = ["gov_participant", "industry_participant", "academia_participant", "civil_participant"]
PEOPLE = [
    ("admin", "admin", None),
    ("moderator", "moderator", 0),
    ("gov_participant", "participant", 1),
    ("industry_participant", "participant", 3),
    ("academia_participant", "participant", 5),
    ("civil_participant", "participant", 6),
    ("observer", "observer", 7),
]
