"""The fictional world of Veltrano Mobile: entities, attributes, value pools and wordings.

Everything a generated file says about the domain comes from the tables here. Each
attribute carries its own closed pool of values (multiple-choice distractors come from
the same pool) and separate families of wordings:

- ``corpus``: sentences used in the raw DAPT documents (at least eight per attribute),
- ``heldout``: sentences used only in the held-out perplexity documents,
- ``questions``: the three SFT question wordings,
- ``answer``: the one answer format shared by SFT outputs and evaluation statements,
- ``mc_question`` / ``qa_question``: evaluation question wordings (never used elsewhere).

Placeholders: ``{e}`` entity name, ``{E}`` entity name capitalised, ``{v}`` value,
``{V}`` value capitalised.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

DOMAIN_NAME = "Veltrano Mobile"


@dataclass(frozen=True)
class Kind:
    """A family of entities that share attributes (plans, routers, error codes...)."""

    name: str
    topic: str
    article: bool
    entities: tuple[str, ...]

    def ref(self, entity: str) -> str:
        """How running text refers to an entity ("the Orbit Max plan", "error code VT-417")."""
        return f"the {entity}" if self.article else entity


@dataclass(frozen=True)
class Attribute:
    """One attribute kind with its value pool and every wording family."""

    name: str
    kind: str
    pool: tuple[str, ...]
    corpus: tuple[str, ...]
    heldout: tuple[str, ...]
    questions: tuple[str, ...]
    answer: str
    mc_question: str
    qa_question: str


@dataclass(frozen=True)
class Fact:
    """An entity-attribute-value triple and the part of the protocol it belongs to."""

    fact_id: str
    kind: str
    entity: str
    attribute: str
    value: str
    split: str

    def as_dict(self) -> dict[str, str]:
        return {
            "fact_id": self.fact_id,
            "kind": self.kind,
            "entity": self.entity,
            "attribute": self.attribute,
            "value": self.value,
            "split": self.split,
        }


KINDS: tuple[Kind, ...] = (
    Kind(
        "plan",
        "mobile plans",
        True,
        (
            "Orbit Max plan",
            "Lumo Start plan",
            "Quill Family plan",
            "Tarn Unlimited plan",
            "Brisk Student plan",
            "Nimbus Pro plan",
            "Fennel Lite plan",
            "Cobalt Senior plan",
        ),
    ),
    Kind(
        "device",
        "phones, tablets and hotspots",
        True,
        (
            "Vireo S5 phone",
            "Talon Mini phone",
            "Marlin Q9 phone",
            "Pipit One phone",
            "Plover Flip phone",
            "Skua Tab tablet",
            "Heron Go hotspot",
            "Kestrel X2 hotspot",
        ),
    ),
    Kind(
        "router",
        "home routers",
        True,
        (
            "Wren R4 router",
            "Corvid AX router",
            "Linnet Home router",
            "Ibis Mesh router",
            "Stilt Box router",
            "Dunlin Pro router",
            "Gannet Edge router",
        ),
    ),
    Kind(
        "error",
        "error codes",
        False,
        (
            "error code VT-104",
            "error code VT-219",
            "error code VT-331",
            "error code VT-417",
            "error code VT-452",
            "error code VT-568",
            "error code VT-603",
            "error code VT-726",
            "error code VT-815",
            "error code VT-940",
        ),
    ),
    Kind(
        "shop",
        "Veltrano shops",
        True,
        (
            "Quayside store",
            "Pennick Square store",
            "Old Mill store",
            "Brackenfield store",
            "Larkspur Arcade store",
            "Kingsferry store",
            "Saltmarsh store",
        ),
    ),
    Kind(
        "addon",
        "add-ons and passes",
        True,
        (
            "Globetrot roaming pass",
            "Nightowl data pack",
            "Streamline video pass",
            "Chatter social pack",
            "Wayfarer calling pack",
            "Tidewater weekend pass",
            "Solstice gaming pack",
            "Meridian music pass",
        ),
    ),
    Kind(
        "code",
        "short codes",
        False,
        (
            "short code *232#",
            "short code *318#",
            "short code *405#",
            "short code *527#",
            "short code *649#",
            "short code *706#",
            "short code *781#",
            "short code *863#",
            "short code *904#",
            "short code *995#",
        ),
    ),
)

ATTRIBUTES: tuple[Attribute, ...] = (
    Attribute(
        name="plan_price",
        kind="plan",
        pool=("12 euros", "17 euros", "23 euros", "28 euros", "34 euros",
              "39 euros", "45 euros", "52 euros", "58 euros", "64 euros"),
        corpus=(
            "The {e} is priced at {v} a month.",
            "Customers on the {e} pay {v} every month.",
            "For {v} per month you get everything in the {e}.",
            "The {e} has a monthly fee of {v}.",
            "At {v} monthly, the {e} is one of the plans people ask about most.",
            "I switched to the {e} and my bill is {v} a month.",
            "The price tag on the {e} is {v} per month, taxes included.",
            "Your direct debit for the {e} will be {v} each month.",
            "Signing up for the {e} means a charge of {v} a month.",
        ),
        heldout=(
            "Subscribers of the {e} are billed {v} monthly.",
            "A month on the {e} sets you back {v}.",
            "The {e} carries a monthly charge of {v}.",
        ),
        questions=(
            "How much does the {e} cost per month?",
            "What is the monthly price of the {e}?",
            "What do I pay each month for the {e}?",
        ),
        answer="The {e} costs {v} per month.",
        mc_question="Which monthly price applies to the {e}?",
        qa_question="Tell me how much the {e} charges per month.",
    ),
    Attribute(
        name="plan_data",
        kind="plan",
        pool=("6 GB", "10 GB", "25 GB", "40 GB", "75 GB", "120 GB", "150 GB",
              "300 GB", "500 GB"),
        corpus=(
            "The {e} includes {v} of mobile data.",
            "With the {e} you have {v} of data to use each billing cycle.",
            "Data on the {e}: {v} every month.",
            "The data allowance of the {e} is {v}.",
            "I'm on the {e}, so I get {v} of data before the speed drops.",
            "The {e} bundles {v} of data with unlimited calls and texts.",
            "{V} of data is what the {e} offers each month.",
            "Once you have used the {v} in the {e}, you can buy an add-on.",
            "The {e} allowance is {v} of high-speed data.",
        ),
        heldout=(
            "Each month the {e} provides a data bucket of {v}.",
            "A {v} data quota is part of the {e}.",
            "Monthly data on the {e} tops out at {v}.",
        ),
        questions=(
            "How much data does the {e} include?",
            "What is the data allowance on the {e}?",
            "How many gigabytes come with the {e} each month?",
        ),
        answer="The {e} gives you {v} of data per month.",
        mc_question="What monthly data volume does the {e} have?",
        qa_question="How big is the data bundle of the {e}?",
    ),
    Attribute(
        name="plan_contract",
        kind="plan",
        pool=("3 months", "6 months", "9 months", "12 months", "18 months",
              "24 months", "30 months", "48 months"),
        corpus=(
            "The {e} ties you in for {v}.",
            "Contracts for the {e} last {v}.",
            "You commit to {v} when you sign up for the {e}.",
            "The term of the {e} is {v}, after which it continues month to month.",
            "I signed the {e} contract for {v} and cannot leave earlier without a fee.",
            "Leaving the {e} before {v} are up means paying an exit charge.",
            "The {e} commitment period is {v}.",
            "Sign-up for the {e} comes with a term of {v}.",
            "Remember that the {e} locks you in for {v}.",
        ),
        heldout=(
            "A {e} agreement lasts {v} from the day of activation.",
            "The lock-in period on the {e} is {v}.",
            "Anyone joining the {e} stays for at least {v}.",
        ),
        questions=(
            "How long is the contract for the {e}?",
            "What is the minimum term of the {e}?",
            "For how long am I tied to the {e}?",
        ),
        answer="The {e} has a minimum contract of {v}.",
        mc_question="What contract length does the {e} require?",
        qa_question="How many months does a contract for the {e} run?",
    ),
    Attribute(
        name="device_battery",
        kind="device",
        pool=("11 hours", "14 hours", "17 hours", "22 hours", "26 hours",
              "31 hours", "38 hours", "43 hours", "57 hours"),
        corpus=(
            "The {e} runs for {v} on a full charge.",
            "On a single charge the {e} keeps going for {v}.",
            "Battery life on the {e} is rated at {v}.",
            "I get about {v} out of the {e} before I have to plug it in.",
            "The {e} can stay on for {v} without a charger.",
            "Expect {v} of use from the {e} between charges.",
            "A fully charged {e} gives you {v} of power.",
            "The {e} battery is good for {v} of normal use.",
            "Thanks to its cell, the {e} manages {v} away from a socket.",
        ),
        heldout=(
            "The {e} holds its charge for {v}.",
            "Unplugged, the {e} endures for {v}.",
            "Runtime per charge on the {e}: {v}.",
        ),
        questions=(
            "How long does the battery of the {e} last?",
            "What is the battery life of the {e}?",
            "How many hours does the {e} run on one charge?",
        ),
        answer="The {e}'s battery lasts {v}.",
        mc_question="For how long can the {e} run on battery?",
        qa_question="What battery runtime does the {e} have?",
    ),
    Attribute(
        name="device_year",
        kind="device",
        pool=("2015", "2016", "2017", "2018", "2019", "2020", "2021", "2022", "2023"),
        corpus=(
            "The {e} came out in {v}.",
            "Veltrano started selling the {e} in {v}.",
            "The {e} launched in {v}.",
            "My {e} is the original {v} model.",
            "Since {v}, the {e} has been on the market.",
            "The {e} first went on sale in {v}.",
            "The {e} dates from {v}.",
            "Back in {v}, the {e} arrived in Veltrano shops.",
            "The {e} is a {v} device.",
        ),
        heldout=(
            "The {e} reached customers in {v}.",
            "The {e} hit the shelves in {v}.",
            "{V} was the launch year of the {e}.",
        ),
        questions=(
            "When was the {e} released?",
            "In which year did the {e} come out?",
            "What is the release year of the {e}?",
        ),
        answer="The {e} was released in {v}.",
        mc_question="In what year was the {e} launched?",
        qa_question="Which year did the {e} first appear?",
    ),
    Attribute(
        name="device_country",
        kind="device",
        pool=("Finland", "Portugal", "Chile", "Estonia", "Vietnam", "Morocco",
              "Iceland", "Uruguay", "Slovenia", "Malaysia"),
        corpus=(
            "The {e} is manufactured in {v}.",
            "The {e} is built in {v}.",
            "{V} is where the {e} is assembled.",
            "The {e} comes from a factory in {v}.",
            "My {e} has a sticker saying it was produced in {v}.",
            "The maker of the {e} is based in {v}.",
            "Every {e} is put together in {v}.",
            "The {e} ships from its home country, {v}.",
            "The {e} is designed and produced in {v}.",
        ),
        heldout=(
            "The {e} originates from {v}.",
            "Production of the {e} takes place in {v}.",
            "The {e} is a product of {v}.",
        ),
        questions=(
            "Where is the {e} made?",
            "Which country produces the {e}?",
            "In which country is the {e} manufactured?",
        ),
        answer="The {e} is made in {v}.",
        mc_question="What country does the {e} come from?",
        qa_question="Name the country where the {e} is built.",
    ),
    Attribute(
        name="router_ports",
        kind="router",
        pool=("two LAN ports", "three LAN ports", "four LAN ports", "five LAN ports",
              "six LAN ports", "seven LAN ports", "eight LAN ports"),
        corpus=(
            "On the back of the {e} there are {v}.",
            "The {e} offers {v} for wired devices.",
            "You can plug cables into the {v} of the {e}.",
            "The {e} comes with {v}.",
            "I use the {v} on my {e} for the desktop and the TV.",
            "Wired connections on the {e}: {v}.",
            "The {e} provides {v} next to the power socket.",
            "Count the sockets and you will find {v} on the {e}.",
            "The {e} is fitted with {v}.",
        ),
        heldout=(
            "Behind the {e} sit {v}.",
            "The {e} gives you {v} for cables.",
            "The rear panel of the {e} holds {v}.",
        ),
        questions=(
            "How many LAN ports does the {e} have?",
            "How many wired ports are on the {e}?",
            "What is the number of Ethernet ports on the {e}?",
        ),
        answer="The {e} has {v}.",
        mc_question="How many cable ports are on the {e}?",
        qa_question="Count the LAN ports on the {e} for me.",
    ),
    Attribute(
        name="router_reset",
        kind="router",
        pool=("the red pinhole button", "the blue WPS button", "the grey side switch",
              "the orange reset key", "the rear power dial", "the green menu button",
              "the black recessed pin", "the white sync button"),
        corpus=(
            "A factory reset of the {e} is done with {v}.",
            "Press and hold {v} on the {e} for ten seconds to restore defaults.",
            "If the {e} freezes, keep {v} pressed until the lights go out.",
            "The agent told me to reset my {e} using {v}.",
            "Restoring the {e} to factory settings requires {v}.",
            "{V} on the {e} wipes all custom settings.",
            "To wipe the {e}, find {v} and hold it down.",
            "The reset control on the {e} is {v}.",
            "Use {v} to bring the {e} back to its default configuration.",
        ),
        heldout=(
            "Returning the {e} to its out-of-box state needs {v}.",
            "The {e} is reset through {v}.",
            "To erase the {e}, press {v} at length.",
        ),
        questions=(
            "How do I factory reset the {e}?",
            "Which button resets the {e}?",
            "What do I press to restore the {e} to default settings?",
        ),
        answer="To factory reset the {e}, hold {v}.",
        mc_question="What control performs a factory reset on the {e}?",
        qa_question="Which control should be held to wipe the {e} back to defaults?",
    ),
    Attribute(
        name="router_light",
        kind="router",
        pool=("steady green", "slow blue", "solid white", "pulsing amber",
              "steady purple", "solid cyan", "blinking yellow", "soft pink"),
        corpus=(
            "A {v} status light means the {e} is connected.",
            "Once the {e} has a connection, the light turns {v}.",
            "If the lamp on the {e} is {v}, everything is working.",
            "The {e} shows {v} on its front light when the line is up.",
            "My {e} glows {v} as soon as it is online.",
            "{V} on the {e} indicator means you are connected.",
            "The online signal of the {e} is a {v} light.",
            "Wait until the {e} light goes {v} before you start browsing.",
            "A connected {e} displays a {v} indicator.",
        ),
        heldout=(
            "The indicator of the {e} turns {v} once a link is established.",
            "When its connection is ready, the {e} lights up {v}.",
            "A working {e} is recognisable by its {v} lamp.",
        ),
        questions=(
            "What colour is the status light of the {e} when it is online?",
            "How does the {e} light look when it is connected?",
            "What does the status light of the {e} show once it has a connection?",
        ),
        answer="When the {e} is online, its status light is {v}.",
        mc_question="Which light pattern shows the {e} is connected?",
        qa_question="Describe the {e} indicator when the connection works.",
    ),
    Attribute(
        name="error_meaning",
        kind="error",
        pool=("an unregistered SIM card", "a roaming block", "an exhausted data cap",
              "a weak signal", "an overdue payment", "a missing eSIM profile",
              "an overheated modem", "a ported-out number", "a full voicemail box",
              "a wrong APN setting", "outdated firmware", "a suspended account"),
        corpus=(
            "{E} means {v}.",
            "If your screen shows {e}, the cause is {v}.",
            "{E} points to {v}.",
            "Seeing {e} usually comes down to {v}.",
            "I got {e} last night and it turned out to be {v}.",
            "The system raises {e} when it detects {v}.",
            "{E} is the code for {v}.",
            "Behind {e} there is always {v}.",
            "Our logs list {e} as {v}.",
        ),
        heldout=(
            "{E} is displayed in the case of {v}.",
            "{E} signals {v}.",
            "The reason for {e} is {v}.",
        ),
        questions=(
            "What does {e} mean?",
            "What is the cause of {e}?",
            "I see {e} on my screen. What does it indicate?",
        ),
        answer="{E} indicates {v}.",
        mc_question="What problem does {e} stand for?",
        qa_question="Explain what {e} refers to.",
    ),
    Attribute(
        name="error_fix",
        kind="error",
        pool=("restart the handset", "update the firmware", "top up the balance",
              "reinsert the SIM card", "call the help desk", "move closer to a window",
              "reset the APN settings", "switch roaming on", "empty the voicemail inbox",
              "let the device cool down", "reinstall the eSIM", "wait fifteen minutes"),
        corpus=(
            "The fix for {e} is to {v}.",
            "When {e} appears, {v}.",
            "Support advised me to {v} after I saw {e}.",
            "To clear {e}, {v} and try again.",
            "Most cases of {e} go away if you {v}.",
            "The standard remedy for {e}: {v}.",
            "If {e} keeps coming back, {v}.",
            "I solved {e} when I decided to {v}.",
            "Agents resolve {e} by asking the customer to {v}.",
        ),
        heldout=(
            "The recommended action for {e} is to {v}.",
            "Getting rid of {e} means you {v}.",
            "{E} is solved when you {v}.",
        ),
        questions=(
            "How do I fix {e}?",
            "What should I do when I get {e}?",
            "What is the solution for {e}?",
        ),
        answer="To fix {e}, {v}.",
        mc_question="Which step resolves {e}?",
        qa_question="What action makes {e} go away?",
    ),
    Attribute(
        name="shop_city",
        kind="shop",
        pool=("Norhaven", "Calvik", "Dunmere", "Estorio", "Rhenfield", "Solbrae",
              "Tavora", "Wickmoor", "Ardenport"),
        corpus=(
            "The {e} is located in {v}.",
            "You will find the {e} in the centre of {v}.",
            "{V} is home to the {e}.",
            "I visited the {e} in {v} to pick up a new SIM.",
            "The {e} serves customers in {v}.",
            "Our {v} branch is the {e}.",
            "The {e} opened its doors in {v}.",
            "If you live in {v}, the {e} is your nearest Veltrano shop.",
            "The {e} stands on the main square of {v}.",
        ),
        heldout=(
            "The {e} can be found in {v}.",
            "Head to {v} to visit the {e}.",
            "The town of {v} hosts the {e}.",
        ),
        questions=(
            "Where is the {e}?",
            "In which city is the {e} located?",
            "What town is the {e} in?",
        ),
        answer="The {e} is in {v}.",
        mc_question="Which city has the {e}?",
        qa_question="Name the city of the {e}.",
    ),
    Attribute(
        name="shop_opening",
        kind="shop",
        pool=("7:30 am", "8 am", "8:30 am", "9 am", "9:30 am", "10 am", "10:30 am",
              "11 am"),
        corpus=(
            "The {e} unlocks its doors at {v}.",
            "Opening time at the {e} is {v}.",
            "You can walk into the {e} from {v} onwards.",
            "Staff at the {e} start serving customers at {v}.",
            "I was at the {e} right when it opened at {v}.",
            "The {e} starts the day at {v}.",
            "Doors at the {e} open at {v} on working days.",
            "The first appointments at the {e} are at {v}.",
            "Come to the {e} any time after {v}.",
        ),
        heldout=(
            "The {e} begins trading at {v}.",
            "Business hours at the {e} start at {v}.",
            "From {v}, the {e} welcomes visitors.",
        ),
        questions=(
            "When does the {e} open?",
            "What time does the {e} open in the morning?",
            "What are the opening hours of the {e}?",
        ),
        answer="The {e} opens at {v}.",
        mc_question="At what time does the {e} start business?",
        qa_question="What is the opening time of the {e}?",
    ),
    Attribute(
        name="shop_closed",
        kind="shop",
        pool=("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        corpus=(
            "The {e} does not open on {v}.",
            "On {v} the {e} stays shut.",
            "The {e} takes its weekly day off on {v}.",
            "Don't go to the {e} on a {v}, it's closed.",
            "{V} is the rest day for staff at the {e}.",
            "The {e} shuts for the whole of {v}.",
            "I tried the {e} on a {v} and found the shutters down.",
            "The {e} is open every day except {v}.",
            "Plan your visit to the {e} for any day but {v}.",
        ),
        heldout=(
            "Each {v}, the {e} remains closed.",
            "No service at the {e} on {v}.",
            "The {e} closes its doors on {v}.",
        ),
        questions=(
            "On which day is the {e} closed?",
            "What day of the week is the {e} shut?",
            "When is the {e} closed?",
        ),
        answer="The {e} is closed every {v}.",
        mc_question="Which weekday is the {e} not open?",
        qa_question="Tell me the closing day of the {e}.",
    ),
    Attribute(
        name="addon_price",
        kind="addon",
        pool=("2.50 euros", "3.90 euros", "4.75 euros", "5.20 euros", "6.40 euros",
              "7.10 euros", "8.80 euros", "9.60 euros"),
        corpus=(
            "The {e} is sold for {v}.",
            "Adding the {e} to your line is a one-off {v}.",
            "I bought the {e} for {v} in the app.",
            "The price of the {e} is {v}.",
            "For {v} you can add the {e}.",
            "The {e} will be charged at {v}.",
            "Buying the {e} takes {v} from your balance.",
            "The {e} is available for {v}.",
            "At {v}, the {e} is an easy extra.",
        ),
        heldout=(
            "A single {e} comes to {v}.",
            "You pay {v} for the {e}.",
            "The {e} retails at {v}.",
        ),
        questions=(
            "How much does the {e} cost?",
            "What is the price of the {e}?",
            "What do I pay for the {e}?",
        ),
        answer="The {e} costs {v}.",
        mc_question="How much do I need to spend on the {e}?",
        qa_question="What does the {e} sell for?",
    ),
    Attribute(
        name="addon_validity",
        kind="addon",
        pool=("2 days", "3 days", "7 days", "10 days", "14 days", "20 days", "28 days",
              "60 days"),
        corpus=(
            "The {e} lasts {v} from activation.",
            "Once bought, the {e} stays active for {v}.",
            "After {v} the {e} expires.",
            "The {e} runs for {v}.",
            "I had the {e} for {v} before it ran out.",
            "You get {v} of use out of the {e}.",
            "The validity period of the {e} is {v}.",
            "The {e} ends automatically {v} after you buy it.",
            "Keep in mind the {e} only works for {v}.",
        ),
        heldout=(
            "The {e} remains usable for {v}.",
            "The {e} has a lifetime of {v}.",
            "Expiry of the {e} comes {v} after purchase.",
        ),
        questions=(
            "How long is the {e} valid?",
            "For how many days does the {e} last?",
            "How long can I use the {e}?",
        ),
        answer="The {e} is valid for {v}.",
        mc_question="What is the validity of the {e}?",
        qa_question="After how many days does the {e} expire?",
    ),
    Attribute(
        name="code_function",
        kind="code",
        pool=("shows the data balance", "blocks a lost SIM", "activates voicemail",
              "lists active add-ons", "shows the PUK code", "turns roaming off",
              "requests a callback", "shows the account number", "stops premium texts",
              "shows the contract end date", "diverts calls to voicemail"),
        corpus=(
            "Dial {e} and it {v}.",
            "Typing {e} on your keypad {v}.",
            "I learned that {e} {v}, which saved me a call.",
            "Use {e}: it {v}.",
            "Calling {e} from any Veltrano SIM {v}.",
            "What {e} does is simple: it {v}.",
            "Punch in {e} and the network {v}.",
            "Our agents often remind customers that {e} {v}.",
            "Sending {e} from your handset {v}.",
        ),
        heldout=(
            "The service behind {e} {v}.",
            "Entering {e} {v} right away.",
            "Keying in {e} {v}.",
        ),
        questions=(
            "What does {e} do?",
            "What happens when I dial {e}?",
            "What is {e} used for?",
        ),
        answer="The {e} {v}.",
        mc_question="What is the function of {e}?",
        qa_question="What does dialling {e} do for me?",
    ),
)

KIND_BY_NAME: dict[str, Kind] = {k.name: k for k in KINDS}
ATTRIBUTE_BY_NAME: dict[str, Attribute] = {a.name: a for a in ATTRIBUTES}


def capitalise(text: str) -> str:
    """Upper-case the first character only ("error code" -> "Error code")."""
    return text[:1].upper() + text[1:]


def render(template: str, entity: str, value: str) -> str:
    """Fill one wording with an entity and a value."""
    return template.format(e=entity, E=capitalise(entity), v=value, V=capitalise(value))


def attributes_of(kind: str) -> list[Attribute]:
    return [a for a in ATTRIBUTES if a.kind == kind]


def rng_for(seed: int, *parts: object) -> random.Random:
    """An independent, reproducible random stream for one named part of the generator."""
    return random.Random(":".join([str(seed), *map(str, parts)]))


def build_facts(seed: int) -> list[Fact]:
    """Assign a value to every (entity, attribute) and split the facts 50/50 per attribute.

    Values are drawn without replacement from the attribute's pool, so no two entities
    share a value for the same attribute. Within every attribute half the facts go to
    ``sft`` and half to ``eval``; the odd one out alternates between attributes so the
    totals stay balanced.
    """
    facts: list[Fact] = []
    odd_to_sft = True
    for attr in ATTRIBUTES:
        entities = KIND_BY_NAME[attr.kind].entities
        values = rng_for(seed, "values", attr.name).sample(attr.pool, len(entities))
        order = list(range(len(entities)))
        rng_for(seed, "split", attr.name).shuffle(order)
        n_sft = len(entities) // 2
        if len(entities) % 2:
            n_sft += int(odd_to_sft)
            odd_to_sft = not odd_to_sft
        sft_rows = set(order[:n_sft])
        for i, (entity, value) in enumerate(zip(entities, values, strict=True)):
            facts.append(
                Fact(
                    fact_id=f"F{len(facts) + 1:03d}",
                    kind=attr.kind,
                    entity=entity,
                    attribute=attr.name,
                    value=value,
                    split="sft" if i in sft_rows else "eval",
                )
            )
    return facts


def all_values() -> list[str]:
    return [v for a in ATTRIBUTES for v in a.pool]


def all_entities() -> list[str]:
    return [e for k in KINDS for e in k.entities]


def check_world() -> None:
    """Fail fast on tables that would make scoring ambiguous.

    No value may occur inside another value (a "contains" check would then accept the
    wrong answer), no entity inside another entity, every pool must be at least as large
    as its kind and hold six or more values, every attribute needs eight corpus wordings,
    and the answer format must not reuse any corpus or held-out wording.
    """
    values = [v.lower() for v in all_values()]
    for a in values:
        for b in values:
            if a != b and a in b:
                raise ValueError(f"value {a!r} occurs inside value {b!r}")
    if len(set(values)) != len(values):
        raise ValueError("a value is listed in two pools")
    entities = [e.lower() for e in all_entities()]
    for a in entities:
        for b in entities:
            if a != b and a in b:
                raise ValueError(f"entity {a!r} occurs inside entity {b!r}")
    for attr in ATTRIBUTES:
        n = len(KIND_BY_NAME[attr.kind].entities)
        if len(attr.pool) < max(6, n):
            raise ValueError(f"{attr.name}: pool of {len(attr.pool)} for {n} entities")
        if len(attr.corpus) < 8 or len(attr.questions) != 3:
            raise ValueError(f"{attr.name}: needs >= 8 corpus wordings and 3 questions")
        wordings = {*attr.corpus, *attr.heldout, *attr.questions, attr.answer,
                    attr.mc_question, attr.qa_question}
        if len(wordings) != len(attr.corpus) + len(attr.heldout) + 6:
            raise ValueError(f"{attr.name}: a wording is reused across families")
