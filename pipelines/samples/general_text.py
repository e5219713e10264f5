"""General-domain English prose written for this project (replay and held-out general text).

Replay paragraphs are mixed into domain training so general ability is not forgotten;
held-out paragraphs (different subjects, never trained on) measure forgetting as perplexity.
Replay covers cooking, gardening, weather, travel, history, science, sport, hobbies, household
life, animals, learning, work, books, film, cities, money and farming; held-out covers the sea,
rocks and caves, architecture, languages, tea and coffee, festivals, childhood games, insects,
rivers and wetlands, numbers, the human body, the polar regions and a few crafts. No paragraph
is shared between the two, and none of it mentions telecoms.
"""

from __future__ import annotations


def _paragraphs(block: str) -> list[str]:
    """Split a block on blank lines and join each paragraph's wrapped lines."""
    return [" ".join(p.split()) for p in block.strip().split("\n\n") if p.strip()]


_REPLAY: list[str] = []
_HELDOUT: list[str] = []

# ---- replay: general text mixed into training ----

_REPLAY += _paragraphs("""
Bread is one of the oldest prepared foods. At its simplest it needs only flour, water, salt and
something to make it rise. For most of history that something was a wild culture of yeasts and
bacteria kept alive from one batch to the next, which is what bakers now call a sourdough
starter. Commercial yeast arrived much later and made baking faster and more predictable. The
basic process has hardly changed: the dough is mixed, left to rise, shaped, left to rise again
and baked in a hot oven until the crust turns brown and the loaf sounds hollow when tapped.

My grandmother never measured anything when she cooked. She would throw a handful of rice into
the pot, add water until it reached the first joint of her finger, and put the lid on. The rice
always came out perfectly. When I tried to copy her, I ended up with something between glue and
gravel. It took me years to understand that she was not guessing at all. She had made the same
dish thousands of times, and her hands simply knew the right amounts better than any recipe card
could.

Soup is a wonderful way to use up vegetables that are past their best. Soft carrots, a wrinkled
pepper, half an onion and the last stalks of celery can all go into the pot together. Start by
cooking the onion gently in a little oil until it is sweet and translucent, then add the rest of
the vegetables, cover them with stock and let everything simmer until tender. A squeeze of lemon
or a spoonful of yoghurt at the end lifts the flavour. Blended or left chunky, it will taste
better than the ingredients deserve.

The potato came to Europe from South America in the sixteenth century, and at first many people
were suspicious of it. It belongs to the same family as some poisonous plants, and its green
parts really are toxic. Over time, however, farmers discovered that it grew well in poor soil
and cold climates and produced far more food per field than grain. In several countries it
became a staple within a few generations. Today it is grown on every inhabited continent and
appears in an enormous range of dishes, from simple boiled potatoes to crisp fries.

Knife skills make cooking faster and safer. A sharp knife is actually less dangerous than a
blunt one, because it cuts where you aim it instead of slipping. Hold the handle firmly and curl
the fingers of your other hand into a claw, so that your knuckles guide the blade and your
fingertips stay out of the way. Let the knife do the work with a smooth rocking or slicing
motion rather than pressing straight down. Practise on something cheap and forgiving, such as an
onion or a cucumber, and you will soon find your own rhythm.

Spices were once among the most valuable goods in the world. Pepper, cinnamon, cloves and nutmeg
travelled enormous distances by ship and caravan before they reached European kitchens, and
their prices reflected the danger and effort of the journey. Whole empires were built on
controlling the trade. It is strange to think about this when you reach for the pepper grinder
today without a second thought. A small jar of spice that costs very little now would once have
been a treasured possession, locked away and used only on special occasions.

Making pancakes on a Sunday morning has become a small ritual in our house. The children argue
about who gets to crack the eggs, and someone always spills flour on the floor. The first
pancake is never quite right, which is why we call it the test pancake and the cook gets to eat
it. After that they come out golden and even, and we stack them on a warm plate in the oven.
Some of us like lemon and sugar, others want syrup or jam. Nobody is ever in a hurry to leave
the table.

Fermentation is a way of preserving food that relies on friendly microbes. When cabbage is
packed with salt, for example, the salt draws out water and creates conditions in which lactic
acid bacteria thrive while harmful organisms struggle. Over a few weeks the bacteria turn sugars
into acid, and the cabbage becomes sour, tangy and able to keep for months. The same basic idea
lies behind yoghurt, cheese, pickles, miso and many other foods. People were fermenting long
before anyone knew that bacteria existed. They simply noticed that certain methods kept food
safe and tasty.

A good omelette takes less than two minutes to cook, which is exactly why it is easy to get
wrong. The pan should be hot but not smoking, with a knob of butter that foams without browning.
Pour in two or three beaten eggs and stir them quickly with a fork while shaking the pan, so
that small soft curds form. When the eggs are almost set but still slightly wet on top, add any
filling, fold the omelette over and slide it onto a warm plate. It will finish cooking in its
own heat on the way to the table.

Rice feeds more people than almost any other crop. It is grown in flooded fields called paddies
in much of Asia, although some varieties grow on dry land. There are thousands of kinds, from
the long fragrant grains used in many curries to the short sticky grains preferred for sushi and
puddings. Brown rice keeps its outer bran layer, which gives it more fibre and a nutty taste,
while white rice has been polished. Cooking methods vary as much as the grains, from simple
boiling to slow absorption in a covered pot.

I used to think that salad was a punishment, something you ate while secretly wishing for chips.
Then a friend made me a salad with roasted squash, toasted seeds, crumbled cheese, a handful of
bitter leaves and a sharp dressing made with mustard and honey. It was warm and cold, soft and
crunchy, sweet and sour all at once. I asked for the recipe immediately. Since then I have
stopped thinking of salad as a pile of lettuce and started treating it as a chance to combine
textures. It has completely changed the way I cook.

Chocolate begins as the seeds of the cacao tree, which grows in hot, humid regions near the
equator. The seeds are scooped out of large pods, left to ferment for several days, dried in the
sun and then roasted. Only after grinding do they become the thick paste that can be turned into
chocolate. For most of its long history in Central America, chocolate was drunk rather than
eaten, often bitter and flavoured with spices. Solid chocolate bars are a comparatively recent
invention, made possible by new machines that could press and refine the paste.

Leftovers are a test of imagination. Yesterday's roast vegetables can become a frittata, stale
bread turns into croutons or a bread pudding, and a small amount of cooked rice is the perfect
base for fried rice. The trick with fried rice, in fact, is that it works best with rice that
has been cooked the day before and chilled, because fresh rice is too soft and turns mushy. Keep
leftovers covered in the fridge and eat them within a couple of days. Planning one meal a week
around what is already there saves both money and waste.

Tomatoes were long considered ornamental or even dangerous in parts of Europe, and it took a
surprisingly long time for them to be accepted as food. Now it is hard to imagine many cuisines
without them. A ripe tomato in late summer, still warm from the sun, needs nothing more than a
pinch of salt. Out of season, tinned tomatoes are often a better choice than pale fresh ones,
because they are picked and preserved at their peak. Cooking them slowly with olive oil and
garlic concentrates their sweetness into a rich sauce.

There is a small bakery at the end of our street that opens before dawn. If you walk past early
enough, the smell of warm bread and butter drifts out onto the pavement, and it is almost
impossible not to go in. The baker is a quiet man who has been doing this for decades. He starts
work in the middle of the night, and by the time most people wake up the shelves are full of
loaves, rolls and pastries. He says he likes the calm of the early hours more than anything.

Herbs can transform a simple dish. Soft herbs such as basil, parsley, coriander and dill are
best added at the end of cooking or scattered over the finished plate, because heat quickly
dulls their flavour. Woody herbs such as rosemary, thyme and sage can go in at the start and
stand up to long roasting or simmering. Growing a few pots on a windowsill is easy and far
cheaper than buying small packets every week. Even in winter, a handful of fresh green leaves
makes a bowl of soup or a plate of pasta feel special.

Cheese is essentially a way of turning milk, which spoils quickly, into a food that can last for
months or even years. The milk is curdled, usually with an enzyme called rennet, and the solid
curds are separated from the liquid whey. What happens next decides the character of the cheese:
how much the curds are cut and pressed, whether they are salted or washed, and how long and
where the cheese is left to age. Thousands of varieties exist, from fresh cheeses eaten within
days to hard wheels aged in caves.

When you cook pasta, use plenty of water and salt it generously. The water should taste
pleasantly salty, because this is the only chance to season the pasta itself. Stir the pasta
during the first minute so the pieces do not stick together, and start tasting a little before
the time printed on the packet. Good pasta should be tender but still have a slight bite in the
centre. Before draining, keep a cup of the starchy cooking water. A splash of it helps the sauce
cling to the pasta and gives it a silky finish.

Honey is made by bees from the nectar of flowers. Worker bees collect the nectar, carry it back
to the hive and pass it from bee to bee, adding enzymes along the way. They then spread it in
wax cells and fan it with their wings until much of the water evaporates. The result is thick,
sweet and remarkably resistant to spoiling. Its colour and taste depend heavily on which flowers
the bees visited, so honey from clover, heather, orange blossom or lime trees can be strikingly
different. A single jar represents the work of many thousands of bees.

The best meal I ever ate was not in a restaurant. It was a plate of grilled fish, bread and
tomatoes eaten on a rocky beach after a long day of walking. We were sunburnt and exhausted, and
the fisherman who cooked it barely spoke our language. He cleaned the fish on a flat stone,
cooked it over a fire of driftwood and squeezed a lemon over it with his hands. I have tried to
recreate that meal many times since. It never tastes quite the same, and I suspect the hunger
and the sea air were the secret ingredients.

Baking is more precise than most other kinds of cooking because it relies on chemistry. Baking
powder and baking soda release gas when they are wet or heated, and that gas makes cakes and
muffins rise. Too little and the result is dense and heavy; too much and it can collapse or
taste bitter. Flour provides structure, sugar adds sweetness and keeps things moist, fat makes
the texture tender, and eggs bind everything together. This is why experienced bakers weigh
their ingredients instead of using cups, and why swapping one ingredient for another can have
surprising effects.

Olive trees can live for many hundreds of years, and some in the Mediterranean are thought to be
far older than that. Their fruit is too bitter to eat straight from the branch, so olives are
cured in brine, water, salt or lye before they reach the table. Most of the harvest, however, is
pressed for oil. Extra virgin olive oil comes from the first cold pressing and keeps the most
flavour, which can range from mild and buttery to grassy and peppery. It is best used raw or for
gentle cooking, where its taste can still be noticed.

Street food tells you a great deal about a place. A paper cone of roasted chestnuts on a cold
evening, a skewer of grilled meat from a smoky stall, a steaming bowl of noodles eaten standing
up at a counter: these meals are cheap, quick and often better than anything in a formal
restaurant. They are also shaped by the daily lives of ordinary people, by what grows nearby and
by what can be cooked fast. When I travel, I always try to eat where the queue of local workers
is longest. It has rarely let me down.

Coffee cake does not always contain coffee. In many places the name simply means a cake that is
meant to be eaten with a cup of coffee, usually something plain, sweet and crumbly that is easy
to slice. Recipes vary widely, but a common version has a buttery sponge topped with a layer of
cinnamon and brown sugar crumbs. It is the sort of cake people bake on a quiet weekend morning,
and it tends to disappear quickly once neighbours or family members notice it cooling on the
kitchen counter.

Learning to cook for yourself is one of the most useful skills a young person can have. It saves
money, it is usually healthier than relying on takeaways, and it gives you something to share
with friends. You do not need to start with anything complicated. A simple tomato sauce, a good
omelette, a pot of soup and a tray of roasted vegetables will carry you through many weeks. Once
you are comfortable with those, you can add a new dish every now and then. Before long you will
have a handful of meals you can make without looking at a recipe.
""")

_REPLAY += _paragraphs("""
Good soil is the foundation of any garden. It is not just crushed rock but a living mixture of
minerals, decaying plant matter, water, air and countless organisms, from earthworms to fungi
and bacteria too small to see. Sandy soil drains quickly and warms early in spring but struggles
to hold nutrients. Clay soil holds water and nutrients well but can become heavy and
waterlogged. Most gardeners try to improve whatever they have by adding plenty of organic matter
such as compost or well-rotted manure, which helps both kinds of soil behave more like the
crumbly loam that plants love.

The first time I grew tomatoes, I planted them far too close together and watered them every day
whether they needed it or not. By midsummer they had become a tangled green jungle with hardly
any fruit. My neighbour, who had been gardening for forty years, came over and laughed kindly.
She showed me how to pinch out the side shoots, tie the main stems to canes and let the soil dry
a little between waterings. The next year I followed her advice, and I had more tomatoes than I
could possibly eat.

Compost is simply organic waste that has been broken down by microbes, worms and insects into a
dark, crumbly material that smells like a forest floor. A good heap needs a mix of green
material, such as grass cuttings and vegetable peelings, and brown material, such as dry leaves,
straw and torn cardboard. It also needs air and a little moisture. Turning the heap every few
weeks speeds things up. Depending on the weather and the ingredients, it can take anywhere from
a few months to a year before the compost is ready to spread on the garden.

Bees, butterflies, hoverflies and many other insects carry pollen from flower to flower, which
allows plants to produce fruit and seeds. Without them, crops such as apples, strawberries,
beans and squash would give far smaller harvests. Gardeners can help by growing a variety of
flowers that bloom at different times of year, avoiding unnecessary pesticides and leaving some
corners a little wild. Simple, open flowers are often easier for insects to use than elaborate
double blooms. Even a window box full of herbs left to flower can make a difference in a city.

Trees change the feeling of a street more than almost anything else. They offer shade in summer,
soften the sound of traffic, give birds a place to nest and mark the seasons with their leaves.
Planting one is an act of faith in the future, because the person who plants it may not live to
see it fully grown. An oak, for example, can take decades to reach a good size and may live for
centuries. There is an old saying that the best time to plant a tree was twenty years ago, and
the second best time is today.

Weeds are often described as plants growing in the wrong place. A dandelion in the middle of a
neat lawn is a nuisance, but the same plant provides early nectar for bees and its young leaves
can be eaten in salads. Many gardeners have learned to be a little more relaxed about weeds,
removing the most aggressive ones while tolerating others. The easiest way to keep them down is
to cover bare soil, either with a layer of mulch or with other plants. Nature dislikes empty
ground and will quickly fill any gap you leave.

Every spring I sow seeds on the kitchen windowsill, even though I know there is not enough room
in the garden for half of what I grow. There is something irresistible about pressing a tiny
seed into damp compost and waiting. A few days later a pale loop of stem pushes through the
surface, then straightens and opens two small leaves. It feels like a small miracle every time.
By April the kitchen is full of trays of seedlings, and I end up giving most of them away to
friends, who seem happy to take them.

Roses have been cultivated for thousands of years and there are now many thousands of varieties.
Some climb over walls and arches, others grow into large shrubs, and some stay small enough for
a pot. Most of them like a sunny position, rich soil and regular watering in dry weather.
Removing faded flowers, a job known as deadheading, encourages many types to keep blooming
through the summer. Older varieties are often prized for their fragrance, while many modern
roses have been bred for long flowering and resistance to disease.

Watering seems simple, but it is one of the things that new gardeners most often get wrong. It
is usually better to water deeply once or twice a week than to sprinkle a little every day,
because deep watering encourages roots to grow down into the soil where it stays moist. Early
morning is the best time, since less water is lost to evaporation and the leaves can dry during
the day. Plants in pots need much more attention than those in the ground, and in hot weather
they may need water every single day.

A vegetable patch does not need to be large to be productive. A few square metres can provide
salad leaves, herbs, beans and courgettes for much of the summer. The secret is to choose crops
that give a lot for the space they take and to sow little and often, so that there is always
something ready to pick. Climbing beans and peas make good use of vertical space. Fast crops
such as radishes and lettuce can be squeezed in between slower ones. Even a single raised bed
can feel surprisingly generous.

Mushrooms are the fruiting bodies of fungi, and the part we see above the ground is only a small
portion of the whole organism. Most of the fungus lives as a web of fine threads spread through
soil or wood. These threads break down dead material and return nutrients to the soil, and many
of them form partnerships with the roots of trees, trading minerals for sugars. Some of these
underground networks are enormous. Walking through a forest in autumn, you are surrounded by a
hidden world that quietly keeps the whole woodland alive.

My father kept an allotment for most of his life. On Sunday mornings he would cycle there with a
flask and a bag of tools, and he would come home hours later with muddy boots and a basket of
whatever was in season. As a child I found it boring. I could not understand why anyone would
spend so long digging. Now that I have a small plot of my own, I understand perfectly. It is not
really about the vegetables at all. It is about the quiet, the birdsong and the feeling of time
passing slowly.

Houseplants can make a room feel calmer and more alive. Some, such as snake plants and cast iron
plants, tolerate low light and irregular care, which makes them good choices for beginners.
Others, such as many ferns, need humidity and steady moisture. The most common mistake is
overwatering, which causes roots to rot. Before watering, push a finger into the compost: if it
is still damp a few centimetres down, wait a few more days. Most houseplants also appreciate
being turned now and then so that they do not lean towards the window.

Autumn is a busy season in the garden even though most plants are winding down. It is the time
to plant spring bulbs such as tulips, daffodils and crocuses, to divide overgrown perennials and
to gather fallen leaves. Leaves can be piled into a simple wire cage and left for a year or two
to become leaf mould, a soft, dark material that improves soil wonderfully. It is also a good
time to plant trees and shrubs, because the soil is still warm and autumn rain helps them settle
in before winter.

Apple trees do not grow true from seed. If you plant the pip of your favourite apple, the tree
that grows will produce fruit that is different, and often smaller and sourer, than the one you
started with. For this reason, named varieties are propagated by grafting, which means joining a
cutting from the chosen tree onto the roots of another. The roots control the size and vigour of
the tree, while the cutting decides the type of fruit. Every tree of a famous variety is
therefore a piece of the same original plant.

Cacti have adapted remarkably well to life in dry places. Their thick stems store water, and
their leaves have been reduced to spines, which lose very little moisture and help protect the
plant from thirsty animals. Many cacti also open their pores only at night, when the air is
cooler, to save even more water. In cultivation they need bright light, very free-draining soil
and much less water than most people expect, especially in winter. Given the right conditions,
some of them produce spectacular flowers that last only a day or two.

A hedge makes a softer boundary than a fence and gives shelter to birds and insects. Native
shrubs such as hawthorn, hazel, holly and field maple can be mixed to create a hedge that
flowers in spring, fruits in autumn and stays interesting all year. It takes patience, because
young plants need a few years to knit together, but a mature hedge is full of life. Trimming is
best done outside the nesting season, and leaving part of the hedge untrimmed each year allows
berries to form for winter food.

I have never been good at keeping plants alive indoors, so when a colleague gave me a small fern
for my desk, I expected the worst. To my surprise it thrived. I think it was because I forgot
about it most of the time. It sat on the corner of the desk next to a north-facing window, away
from the radiator, and I only watered it when its leaves started to droop slightly. Two years
later it is three times the size and has produced several baby plants, which I now give to other
people.

Lawns are a surprisingly recent idea for most households. For centuries, only wealthy estates
could afford large areas of short grass, which had to be cut by hand with scythes or kept down
by grazing animals. The invention of the mechanical mower made lawns possible for ordinary
homes. Today, some gardeners are turning away from perfectly trimmed green carpets and letting
parts of their lawns grow longer, with clover, daisies and wildflowers mixed in. These meadow-
like patches need less work and attract far more insects than a neat lawn.

Frost can be a gardener's greatest enemy in spring. A single cold night can blacken the tender
leaves of young beans, courgettes and tomatoes that were planted out too early. Experienced
growers watch the weather carefully and keep a sheet of fleece or a few old blankets handy to
cover vulnerable plants. Low-lying parts of a garden, where cold air collects, are often called
frost pockets and are more dangerous than higher ground. Waiting an extra week or two before
planting out is usually a small price to pay for safety.

Sunflowers are among the easiest plants to grow, which is why they are often the first seeds
children are given. Pushed into the ground in spring, they can shoot up taller than an adult in
a single summer. Young sunflower heads follow the sun across the sky during the day, although
mature flowers usually settle facing east. Each large head is actually made of hundreds of tiny
flowers packed into a spiral pattern, and each of these can become a seed. Birds love them, so
leaving a few heads standing in autumn provides a welcome feast.

Mulch is any material spread over the surface of the soil. It can be organic, such as bark
chips, straw, compost or leaf mould, or inorganic, such as gravel or sheets of fabric. A good
layer of mulch keeps moisture in, keeps weeds down and protects the soil from heavy rain and hot
sun. Organic mulches also slowly break down and feed the soil life beneath them. The best time
to apply it is in spring, after the soil has warmed up but while it is still moist from the
winter.

There is a particular kind of happiness in picking something you have grown yourself and eating
it straight away. A pea pod split open with your thumb, a strawberry warm from the sun, a
handful of raspberries eaten before they reach the kitchen: these small pleasures cannot be
bought in any shop. Supermarket produce is often picked early and travels a long way, so it
never tastes quite the same. Even if you only have space for a single pot of strawberries on a
balcony, it is worth trying at least once.

Bamboo is technically a grass, although some species grow as tall as trees. It is one of the
fastest growing plants on earth, and certain kinds can add a remarkable amount of height in a
single day during their growing season. People use it for building, furniture, paper, food and
fabric. In gardens, however, it needs careful handling. Some varieties spread aggressively by
underground stems and can take over a garden or push under a neighbour's fence. Clump-forming
types, or those grown in strong containers, are much easier to live with.

Gardening teaches patience in a way that few other activities do. You cannot rush a seed into
germinating or persuade a fruit tree to crop in its first year. Every plan depends on the
weather, the soil, the slugs and a dozen other things beyond your control. Some years everything
goes wrong and the harvest is miserable. And yet gardeners keep going, every spring, full of new
hope. Perhaps that is the real lesson of the garden: that failure is temporary and there is
always another season to try again.
""")

_REPLAY += _paragraphs("""
Clouds form when moist air rises and cools. As the air cools, the water vapour it carries
condenses onto tiny particles of dust, salt or smoke, creating countless droplets or ice
crystals. Together these become visible as a cloud. Meteorologists sort clouds by their shape
and height. Fluffy heaps with flat bottoms are called cumulus, flat grey sheets are stratus, and
thin wispy streaks high in the sky are cirrus. Watching how clouds change through the day can
tell an attentive observer a surprising amount about the weather that is on its way.

There is a particular smell that comes just before or after rain on a warm day. It is earthy and
fresh, and many people find it deeply comforting. Part of it comes from oils released by plants
during dry spells, and part comes from a substance produced by microbes living in the soil. When
raindrops hit dry ground, they trap tiny bubbles of air that burst and throw these scents into
the air. Human noses are remarkably sensitive to this smell, perhaps because our ancestors once
depended on knowing when rain was coming.

I grew up in a town where it snowed properly every winter, and the first snowfall of the year
was always an event. We would wake up to a strange silence, because snow absorbs sound and the
streets were empty of traffic. Then the whole neighbourhood would come outside. Children built
snowmen and staged enormous snowball fights, while adults cleared paths and complained
cheerfully about the cold. Now I live somewhere much milder, and I miss that first morning more
than I expected. Winter here is mostly grey and damp.

Thunderstorms grow when warm, humid air rises rapidly into colder air above. Inside the towering
clouds, ice particles and water droplets crash into each other, and this separates electric
charges. When the difference becomes large enough, the charge is released as lightning, which
heats the air around it so quickly that it expands with a violent crack. That sound is thunder.
Because light travels much faster than sound, you can estimate how far away a storm is by
counting the seconds between the flash and the rumble. Roughly three seconds corresponds to one
kilometre.

Rainbows appear when sunlight shines through falling raindrops. Each drop acts like a tiny
prism, bending the light as it enters, reflecting it off the back of the drop and bending it
again as it leaves. Because different colours bend by slightly different amounts, white light is
spread into a band of colours, from red on the outside to violet on the inside. To see a rainbow
you must have the sun behind you and rain in front of you. Sometimes a second, fainter bow
appears outside the first, with its colours in reverse order.

The seasons are caused by the tilt of the Earth rather than by its distance from the Sun. Our
planet spins on an axis that leans at an angle, so as it travels around the Sun over the year,
each hemisphere takes turns leaning towards it. When your half of the world is tilted towards
the Sun, the days are longer and sunlight strikes the ground more directly, bringing summer. Six
months later the same half leans away, days are short and the light is weak, and winter arrives.

Fog is really just a cloud that has formed at ground level. It often appears on clear, calm
nights, when the ground loses heat quickly and cools the air just above it until the moisture
condenses. By morning valleys and rivers may be filled with a thick white blanket, while nearby
hills stand clear in the sunshine. As the sun climbs and warms the ground, the fog usually lifts
and burns away. Sea fog forms differently, when warm moist air drifts over cold water, and it
can linger along coasts for days.

Last summer we had a heatwave that lasted almost two weeks. The air felt heavy even at night,
and nobody in our street could sleep properly. We kept the curtains closed during the day, hung
damp sheets in front of open windows and ate nothing but salads and fruit. The dog spent the
whole time lying flat on the cool kitchen tiles. When the weather finally broke with a dramatic
storm, the whole street seemed to breathe out at once. People stood in their doorways just to
watch the rain.

Wind is air moving from areas of high pressure to areas of low pressure. These pressure
differences are created mainly by the uneven heating of the Earth's surface. Land heats up and
cools down faster than water, which is why coasts often have a breeze blowing in from the sea
during the day and out towards the sea at night. On a larger scale, the rotation of the planet
bends moving air, creating the great wind belts that sailors relied on for centuries to cross
the oceans.

Spring arrives slowly and then all at once. For weeks there are only small signs: a few
snowdrops under a hedge, buds swelling on bare branches, a little more light in the evenings.
Then one warm week the whole landscape seems to wake up together. Blossom covers the fruit
trees, birds sing from every rooftop and the grass needs cutting for the first time. People come
out of their houses, open their windows and start making plans. It is hard not to feel more
hopeful in spring.

Hurricanes, typhoons and cyclones are the same kind of storm given different names in different
parts of the world. They form over warm tropical seas, where heat and moisture rising from the
ocean feed a huge spinning system of clouds and wind. At the centre is the eye, a strangely calm
area of light winds and sometimes clear sky, surrounded by a wall of the most violent weather.
These storms can bring extreme winds, torrential rain and surges of seawater that flood low-
lying coasts, so forecasters track them carefully for days.

Dew forms on clear, still nights when surfaces such as grass, leaves and car roofs cool below
the temperature at which moisture condenses from the air. By early morning they are covered in
tiny droplets that sparkle in the first sunlight. If the temperature falls below freezing, the
moisture turns straight into ice crystals instead, creating frost. On very cold, calm mornings,
frost can form delicate feathery patterns on windows and spider webs, turning an ordinary garden
into something that looks carved from glass.

My grandfather claimed he could predict the weather from the behaviour of cows, swallows and his
own knee. If the cows lay down in the field, rain was coming. If the swallows flew low, the
same. If his knee ached, he would cancel any plans and stay indoors. We laughed at him, of
course, but he was right surprisingly often. Some old weather sayings turn out to have a grain
of truth, because animals respond to changes in pressure and humidity. His knee, however,
remains a scientific mystery.

Deserts are defined not by heat but by how little rain they receive. Some of the largest deserts
on Earth are actually cold, including the vast ice sheets of Antarctica. Hot deserts can be
scorching during the day and surprisingly cold at night, because dry air and clear skies let
heat escape quickly after sunset. Life there has adapted in clever ways. Some plants lie dormant
as seeds for years, waiting for rain, and then grow, flower and set seed again within a few
short weeks.

Autumn has a light of its own. The sun sits lower in the sky, so its rays pass through more of
the atmosphere and take on a warm golden colour, especially in the late afternoon. Trees begin
to change as they stop producing the green pigment in their leaves, revealing yellows and
oranges that were hidden all summer, while some also create new red pigments. On a still, bright
October day, walking through a wood can feel like walking through a painting. Then the first
strong wind brings most of the leaves down.

Weather forecasts have improved enormously over the last few decades. Modern forecasters use
measurements from satellites, weather balloons, ships, aircraft and thousands of ground
stations, and feed them into computer models that simulate how the atmosphere will change. A
forecast for the next day is now usually very reliable, and one for five days ahead is about as
good as a one-day forecast was a generation ago. Beyond about ten days, though, small
uncertainties grow too large, and detailed predictions become little better than educated
guesses.

Hail forms inside powerful thunderstorms with strong updrafts. Raindrops are carried high into
the freezing part of the cloud, where they turn to ice. As they fall and are swept up again,
they collect layers of ice like the rings of an onion, growing larger each time. When they
become too heavy for the updraft to hold, they fall to the ground. Most hailstones are the size
of peas, but in severe storms they can be as large as golf balls or even bigger, damaging cars,
roofs and crops.

I love the sound of rain on a roof at night. When I was a child, we spent summers in a small
cabin with a tin roof, and whenever it rained the noise was so loud that we had to raise our
voices to talk. My brother found it annoying. I found it magical. I would lie in my bunk
listening to the drumming change as the shower got heavier or lighter, and I always fell asleep
long before it stopped. Even now, a rainy night makes me feel safe and a little sleepy.

Climate and weather are not the same thing. Weather describes what the atmosphere is doing at a
particular time and place: whether it is sunny, raining or windy today. Climate describes the
average pattern of weather over many years. A single cold winter does not change the climate,
just as one hot summer does not prove it is changing. Scientists study long records of
temperature, rainfall, ice and sea level to understand how the climate behaves, and these
records show clear trends over recent decades.

Snowflakes form around tiny specks of dust or pollen high in cold clouds. Water vapour freezes
directly onto the speck, and because of the way water molecules fit together, the ice grows in
six-sided patterns. As the crystal falls through air of changing temperature and humidity, its
arms grow in slightly different ways, which is why snowflakes show such variety. The famous idea
that no two are exactly alike is very likely true for large, complex flakes, simply because
there are so many possible paths through the cloud.

Monsoons are seasonal shifts in wind that bring dramatic changes in rainfall. In much of South
Asia, for example, the summer monsoon brings moist air from the ocean and heavy rains that
farmers depend on for their crops. The months before it arrives can be extremely hot and dry,
and its arrival is often celebrated. But the monsoon is not always kind. A weak season can lead
to drought, while an unusually strong one can cause floods. Predicting its timing and strength
is one of the most important jobs of regional forecasters.

A barometer measures air pressure, and for centuries it was one of the most useful tools for
predicting the weather. Falling pressure often means that a low-pressure system is approaching,
bringing clouds, wind and rain. Rising pressure usually signals calmer, drier conditions. Old
household barometers often had words such as Fair, Change and Stormy printed around the dial.
They were not always accurate, but watching the needle move over a few hours could still give a
good hint of what the sky was going to do next.

Winter mornings in the countryside have a special stillness. The fields are white with frost,
your breath hangs in the air and every sound seems sharper than usual. Birds puff up their
feathers against the cold, and the low sun throws long blue shadows across the grass. By midday
the frost may have melted everywhere except in the shade of walls and hedges, where it lingers
in narrow white strips. Then, as the afternoon fades early, the temperature drops again and the
cold settles back over everything.

Lightning strikes the Earth many times every second somewhere in the world. Most strikes happen
over land, particularly in tropical regions where thunderstorms are frequent. Although lightning
is dangerous, the chance of being struck is small if you follow simple rules. When thunder
roars, go indoors or into a car with a metal roof, and stay away from open fields, hilltops,
tall isolated trees and water. Wait about half an hour after the last thunder before going back
outside, because storms can strike even as they move away.

There is a saying that there is no such thing as bad weather, only unsuitable clothing. I used
to find it irritating, usually because it was said by cheerful people in expensive waterproof
jackets. But after a year of walking the dog twice a day in every kind of weather, I have come
round to it. With good boots, a warm layer and a hood, a rainy walk can be perfectly pleasant.
Some of my favourite walks have been in drizzle, when the paths are empty and the woods smell
wonderful.
""")

_REPLAY += _paragraphs("""
Travelling by train has a pace that suits the mind. You can watch the landscape roll past the
window, read a book, talk to a stranger or simply doze. Unlike flying, there is no long wait at
security and no cramped seat with your knees against the tray table. Stations are usually in the
middle of towns, so you step off the train straight into the life of a place. On long journeys
the change is gradual: fields give way to hills, the architecture shifts, and you arrive with a
real sense of how far you have come.

The first time I travelled alone, I was nineteen and terrified. I had a rucksack that was far
too heavy, a paper map and a list of cheap hostels written in my notebook. On the first night I
got hopelessly lost and ended up eating bread and cheese on a bench because every restaurant was
closed. By the end of the month, though, I had learned to ask for help, to relax when plans went
wrong and to enjoy my own company. It was the most useful month of my life.

Packing light is a skill that takes years to learn. Most people pack for the trip they fear
rather than the trip they will take, filling their bags with clothes for every imaginable
occasion. A simple rule helps: lay out everything you think you need, then put half of it back.
Choose clothes that can be mixed together, layers rather than bulky coats, and shoes that are
comfortable enough for long walks. Almost anything you forget can be bought on the way, and a
small bag makes every train, bus and staircase easier.

Islands often develop their own ways of life. Separated from the mainland by water, their people
may keep old customs, dialects and recipes long after they have faded elsewhere. Ferries become
the centre of daily life, bringing post, supplies and visitors, and the weather can cut an
island off for days. Many islands have plants and animals found nowhere else, because species
that arrived long ago evolved in isolation. Visiting one, even briefly, can feel like stepping
into a slightly different world with its own rhythms and rules.

Mountain villages are often built in surprising places, clinging to steep slopes or tucked into
narrow valleys. For centuries, life there followed the seasons. In summer, families moved their
animals up to high pastures and made cheese from the milk; in winter, they came down again and
waited out the snow. Many of these villages have grown quiet as young people have moved to
cities, but some have found new life through walking holidays and small guesthouses. The views,
the clean air and the silence draw visitors back year after year.

We once spent an entire holiday in a small fishing town where, as far as we could tell, nothing
ever happened. Each morning we walked down to the harbour to watch the boats come in. Each
afternoon we swam in a little cove below the cliffs. Each evening we ate at the same family
restaurant, where the owner began bringing our usual order before we had even sat down. We did
not visit a single museum or famous sight. It remains one of the most relaxing weeks we have
ever had.

Old maps are fascinating because they show not only places but also what people believed about
the world. Early mapmakers filled unknown areas with sea monsters, imagined islands and vast
empty spaces. Coastlines were often drawn with great care, because they mattered to sailors,
while the interiors of continents remained vague for centuries. As explorers, surveyors and
eventually satellites filled in the gaps, maps became more accurate but perhaps a little less
magical. A modern map tells you exactly where you are, but it no longer invites you to wonder.

Learning a few words of the local language makes a huge difference when travelling. Even a
simple greeting, a thank you and a please show respect for the people you meet, and they are
often warmly received, however badly they are pronounced. Numbers are worth learning early, for
prices and times, along with the words for water, bread, toilet and help. People are usually
patient with visitors who try. And once you start noticing how a language works, signs, menus
and overheard conversations become part of the adventure rather than a barrier.

Long-distance walking routes exist in many countries, some following ancient pilgrimage paths,
others tracing coastlines, ridges or old trade routes. Walking them, even in short sections, is
a slow and rewarding way to see a landscape. You notice things that are invisible from a car:
the change in stone used for walls, the birds in the hedges, the smell of wild garlic in a shady
lane. Nights are spent in small inns, farmhouses or campsites, and the simple pleasure of a hot
meal after a long day is hard to match.

Airports are strange places when you think about them. They are full of people who are all
somewhere in between, neither where they started nor where they are going. Time seems to behave
differently there, stretching during delays and vanishing as you run for a gate. People eat
breakfast at midnight and drink coffee at dawn. Shops sell expensive perfume and neck pillows
side by side. Some travellers find airports stressful, while others enjoy watching the endless
parade of reunions, farewells and tired faces.

Deserts can be astonishingly beautiful for those who visit with respect and preparation. At dawn
and dusk the light turns the sand and rock gold, pink and deep red, and the shadows of dunes
move slowly across the ground. At night, far from city lights, the sky fills with more stars
than most people have ever seen. But the desert is also unforgiving. Visitors must carry far
more water than they think they need, protect themselves from the sun and always tell someone
where they are going.

I keep a travel journal, although I rarely read it again. Writing in it at the end of each day
forces me to notice things I would otherwise forget: the colour of a door, the name of a dish, a
conversation with an old man at a bus stop. Photographs record how a place looked, but the
journal records how it felt. Years later, when I do open it, a single line can bring back a
whole afternoon, with its smells and sounds and the particular mood of that day.

Canals were the motorways of the early industrial age. Before railways, they carried coal,
stone, grain and manufactured goods across countries at a steady walking pace, in boats pulled
by horses along towpaths. Building them was a huge engineering achievement, with locks to raise
and lower boats, tunnels through hills and aqueducts across valleys. Today many old canals have
been restored for leisure. People hire narrow boats for slow holidays, and the towpaths have
become peaceful routes for walkers, runners and cyclists.

Every city has a character that is hard to describe but easy to feel. Some are loud and
restless, full of traffic and street vendors and music spilling from open doors. Others are calm
and orderly, with wide avenues and quiet parks. The best way to discover that character is to
walk without a plan, turning down side streets, stopping in small cafes, following the sound of
a market. Guidebooks point to the famous sights, but the spirit of a city usually lives in its
ordinary neighbourhoods.

Camping strips life down to its essentials. You need shelter, warmth, water and food, and almost
everything else can wait. The first night in a tent is often uncomfortable, with strange noises
outside and a root digging into your back. By the third night, though, many people find that
they sleep better than at home, lulled by the wind and the sound of a stream. Cooking on a small
stove, watching the sun set and going to bed when it gets dark can reset a tired mind remarkably
quickly.

Castles were built for defence long before they became tourist attractions. Early ones were
often simple wooden towers on mounds of earth, surrounded by ditches and fences. Over time they
became great stone fortresses with thick walls, towers, gatehouses and moats. Their design
reflected the weapons of the day, and as cannons became powerful, high stone walls lost much of
their value. Many castles were abandoned or turned into comfortable homes. Today their ruins
stand on hilltops across many countries, reminders of a more dangerous age.

On our honeymoon we took a night bus across a mountain range because it was the cheapest way to
reach the coast. It was not a romantic choice. The road twisted endlessly, the driver played
loud music until three in the morning and a chicken in a basket across the aisle kept us
company. At dawn we came over the final pass and saw the sea stretching out below us, shining
silver in the early light. Everyone on the bus fell silent. We still talk about that moment more
than anything else from the trip.

Hot springs occur where groundwater is heated by rocks deep below the surface and rises back up.
In volcanic regions the water can be extremely hot and rich in minerals, sometimes giving it a
distinctive colour or smell. People have bathed in such springs for thousands of years,
believing they help with aches, skin problems and stress. In some countries, soaking in hot
spring baths is an important part of social life, with strict customs about washing before
entering and keeping quiet in the water.

Slow travel is an idea that has become more popular in recent years. Instead of trying to see
ten cities in ten days, slow travellers choose one or two places and stay for a while. They rent
a small flat, shop in local markets, learn the bus routes and perhaps take a class. The aim is
to understand a place rather than simply photograph it. It also tends to be cheaper and less
tiring, and it leaves room for the unplanned encounters that often become the best memories of a
trip.

Lighthouses have guided sailors along dangerous coasts for centuries. The earliest were simply
fires lit on hills or towers, while later ones used oil lamps and, eventually, powerful electric
lights focused by large glass lenses. Each lighthouse had its own pattern of flashes, so that
sailors could tell which one they were looking at. For many years, keepers and their families
lived in lonely cottages beside the towers, tending the light through every storm. Most
lighthouses are now automatic, but they remain powerful symbols of safety and watchfulness.

Markets are one of the best places to get to know a town. Early in the morning, traders set up
their stalls with fruit, vegetables, fish, cheese, bread and flowers, and the air fills with
chatter and the calls of sellers. Prices are often lower than in shops, and the produce is
usually fresher and more local. It is also a place where people meet and talk, which is
something supermarkets rarely offer. Even if you buy nothing at all, an hour wandering through a
busy market tells you a great deal.

Jet lag happens because the body's internal clock cannot adjust instantly to a new time zone.
After a long flight east or west, you may feel tired in the middle of the day and wide awake at
three in the morning. Most people adjust by roughly one time zone per day. Getting outside in
daylight at your destination helps reset the clock, as does eating meals at local times.
Avoiding long naps on the first day is difficult but worthwhile, and heavy meals and alcohol
usually make things worse.

A good travel companion is worth more than a perfect itinerary. I once travelled with a friend
who was always cheerful, never minded getting lost and could fall asleep anywhere. When our
train was cancelled, she treated it as a chance to explore a town we had never heard of. When it
rained for three days, she found a bookshop with armchairs and a cat. I have travelled with
other people since, and I have learned that the mood you share matters far more than the places
you see.

Bridges come in many forms, each suited to different distances and loads. Simple beam bridges
rest on supports at each end. Arch bridges push their weight outwards into strong foundations,
which is why stone arches built centuries ago still stand. Suspension bridges hang their roadway
from huge cables draped between tall towers, allowing them to cross wide rivers and straits.
Engineers must consider not only the weight of traffic but also wind, temperature changes and,
in some places, earthquakes. Great bridges often become the proudest landmarks of their cities.

Coming home after a long trip has its own pleasures. Your own bed feels like a luxury, the
kettle is exactly where you left it and the streets look both familiar and slightly strange. For
a few days you notice things you usually ignore, such as the colour of the buses or the sound of
the local birds. Travel changes how you see home, at least for a while. Then routine returns,
the suitcase goes back under the bed, and you start quietly dreaming about the next journey.
""")

_REPLAY += _paragraphs("""
For most of human history, people lived as hunters and gatherers, moving with the seasons to
follow animals and ripening plants. Small groups knew their land in great detail: where water
could be found in a dry summer, which roots were safe to eat and when fish would run up the
rivers. The shift to farming, which began independently in several parts of the world, changed
everything. Growing crops and keeping animals allowed people to settle in one place, store food
and live in larger communities, but it also brought harder work and new diseases.

Writing seems to have been invented first for keeping accounts. The earliest known written
records are largely lists of goods, such as grain, animals and cloth, kept by officials in early
cities. Over centuries, these simple marks grew into full writing systems capable of recording
laws, stories, letters and prayers. Different civilisations developed writing independently,
using very different approaches. Some used pictures for words, others used signs for syllables,
and later systems used a small alphabet of letters for individual sounds, which made reading and
writing easier to learn.

The wheel is often named as one of humanity's most important inventions, yet it appeared
surprisingly late compared with farming or pottery. Early wheels were solid discs of wood, heavy
and slow, used on carts pulled by oxen. Later came lighter wheels with spokes, which made fast
chariots possible. Interestingly, some advanced societies made little use of wheels for
transport, often because their terrain was steep or they lacked suitable draught animals. The
wheel was also used in other ways, for example as the potter's wheel, which transformed the
making of bowls and jars.

Ancient Egypt grew up along the narrow strip of fertile land beside the Nile. Every year the
river flooded, leaving behind rich black soil in which farmers grew wheat, barley and flax. This
reliable harvest supported a complex society with kings, priests, scribes and skilled craftsmen.
The Egyptians are famous for their pyramids and temples, but they also left behind an enormous
amount of everyday material: letters, tools, children's toys and even complaints about work.
These small things bring their world much closer than any monument can.

The Roman road network was one of the great engineering works of the ancient world. Built first
for armies, the roads also carried merchants, officials and travellers across a vast territory.
They were made in layers, with large stones at the base, smaller stones and gravel above, and
often a surface of fitted paving slabs. Many followed remarkably straight lines across the
landscape. Long after the empire fell, people continued to use these roads, and some modern
highways still follow their routes. Milestones along the way told travellers how far they had
come.

The printing press with movable type made books far cheaper and more plentiful than ever before.
Before its spread in Europe, most books were copied by hand, a slow and expensive process.
Printing allowed the same text to be reproduced hundreds of times with few errors. Ideas could
now travel quickly, and more people had reason to learn to read. Pamphlets, newspapers and cheap
books followed. Historians often connect the press with great changes in religion, science and
politics, although printing had been developed much earlier in East Asia as well.

Medieval towns were usually small, crowded and noisy by modern standards. Streets were narrow
and often unpaved, houses leaned over them, and animals wandered among the people. Walls
surrounded many towns for protection, with gates that were closed at night. Trades tended to
gather in particular streets, so that you might find all the bakers in one lane and all the
leather workers in another. Markets and fairs brought people in from the countryside, and the
church, with its tall tower, was usually the largest building for miles.

The Silk Roads were not a single road but a shifting web of trade routes linking China, Central
Asia, the Middle East and Europe. Silk was only one of many goods carried along them. Merchants
also traded spices, glass, horses, paper, metals and much more, usually passing goods from one
trader to the next rather than travelling the whole distance. Ideas, religions, languages, foods
and diseases moved along the same paths. Oasis towns and caravan stops grew wealthy and
cosmopolitan, and their markets were among the most varied places on Earth.

Sailing ships opened up the oceans in the fifteenth and sixteenth centuries. Improved ship
designs, better navigation tools and knowledge of wind patterns allowed European sailors to make
long voyages across open water. These journeys connected continents that had developed
separately for thousands of years. The exchange that followed brought new crops, animals and
goods to every part of the world, but it also brought conquest, disease and great suffering to
many peoples. Historians still debate how to understand this period, with all its achievements
and terrible costs.

The Industrial Revolution began in Britain in the eighteenth century and spread across much of
the world in the following decades. Machines powered first by water and then by steam
transformed the making of cloth, iron and many other goods. Factories drew people from the
countryside into fast-growing towns, where working conditions were often harsh and living
conditions crowded. Over time, new laws, trade unions and public health reforms improved life
for many workers. The changes of this period shaped the modern world of cities, mass production
and rapid transport.

Before clocks were common, most people measured time by the sun, by church bells or by the
rhythm of their work. The spread of mechanical clocks, and later of railways, changed this.
Trains needed precise timetables, and it became a problem that every town kept its own local
time based on the position of the sun. Standard time zones were introduced so that timetables
made sense across long distances. What seems natural to us now, that everyone in a region shares
the same time, was once a new and even controversial idea.

Museums often display objects behind glass, quiet and still, but every item once had a lively
history. A clay pot was shaped by someone's hands, used for cooking or storage, perhaps broken
and repaired. A coin passed through hundreds of pockets. A simple comb was used every morning
for years. When I visit a museum, I try to imagine the people who made and used the things on
display. It turns rows of cases into a crowd of ordinary lives, and history becomes far more
personal.

The Vikings are often remembered only as raiders, but they were also farmers, traders, craftsmen
and explorers. From their homes in Scandinavia, they sailed in long, shallow ships that could
cross seas and travel far up rivers. They traded furs, amber and slaves, settled in many lands
and founded towns that still exist. They reached Iceland and Greenland, and even landed briefly
in North America, centuries before later European voyages. Their sagas, written down later, are
full of family feuds, journeys and sharp humour.

Paper was invented in China and spread slowly westward over many centuries. Before it, people
wrote on materials such as clay, papyrus, parchment, wood, bamboo and silk, each with its own
drawbacks. Paper was light, cheap to produce and easy to write on, which made it ideal for
books, records and letters. Papermaking reached the Islamic world, where it helped support a
flourishing culture of libraries and scholarship, and then Europe. Without cheap paper, the
later spread of printing would have been far less dramatic.

Public libraries grew out of the idea that knowledge should be available to everyone, not only
to the wealthy. In many countries during the nineteenth century, reformers argued that free
access to books would improve education and give working people a chance to better themselves.
Libraries were built in towns large and small, often funded by local taxes or generous donors.
For generations they provided quiet places to read, study and borrow books. Many of them still
do, while also offering classes, events and a warm place to sit.

Old photographs from the early days of the camera often show people looking very serious. Part
of the reason is technical: early exposures took a long time, and holding a smile for many
seconds is difficult. Part of it was social, since being photographed was a formal occasion,
perhaps once in a lifetime, and people wanted to appear dignified. As cameras became faster and
cheaper, photographs became more casual. Today we take pictures without thinking, but those
stiff early portraits remind us how special the experience once was.

My great-grandmother kept a diary for more than sixty years. Most entries are short and
ordinary: the weather, what she cooked, who came to visit, how the hens were laying. Reading it
now, I am struck by how much history passes through it without being named. Wars, changes of
government and new inventions appear only in small ways, as rationing, a new bus service or a
brother leaving home. It reminds me that most people live through history quietly, busy with
their own lives, noticing the big events mainly through their effects on daily routine.

Ancient Greece was not a single country but a collection of independent city-states that shared
a language, religion and many customs. They often fought each other, but they also competed in
festivals such as the Olympic Games. Some cities, especially Athens, experimented with forms of
government in which citizens voted on important decisions, although women, slaves and foreigners
were excluded. Greek thinkers asked questions about nature, ethics and politics that are still
discussed today, and Greek drama, architecture and sculpture influenced later cultures for
centuries.

The invention of the telescope changed how people saw their place in the universe. Early
astronomers who pointed the new instrument at the sky found mountains on the Moon, moons
circling other planets and countless stars invisible to the naked eye. These discoveries
supported the idea that the Earth was not the centre of everything but one planet among others
circling the Sun. This idea was controversial at the time, and arguments about it were bitter.
Yet within a few generations it had become the accepted view among scholars.

Castles, cathedrals and palaces tend to dominate history books, but the ordinary houses of the
past can be just as revealing. A farmhouse with a large fireplace and a single main room tells
us how families lived, cooked and slept close together. Servants' stairs in grand houses reveal
a hidden world of work. Changes in building materials reflect new industries and transport, as
brick replaced timber or slate replaced thatch. Walking down an old street and reading the
houses like a book is a rewarding way to learn history.

Vaccination is one of the most important developments in the history of medicine. Long ago,
people noticed that those who survived certain diseases rarely caught them again. Early
practices exposed people to mild forms of a disease to protect them. Later, scientists developed
safer vaccines and began to understand how the body's immune system learns to recognise germs.
Over the following centuries, vaccines greatly reduced illnesses that had once killed huge
numbers of children. One disease, smallpox, was eventually eliminated worldwide through a long
international effort.

The age of steam ships made travel across oceans faster and more reliable than ever before.
Sailing ships depended on the wind and could be delayed for weeks, while steamers kept to
regular schedules. Millions of people emigrated in search of work and new lives, often crossing
the sea in crowded conditions below deck. Ports became busy gateways, full of many languages.
Letters and newspapers travelled more quickly, and the world began to feel smaller. The great
passenger liners later became famous symbols of luxury and adventure.

Empires rise and fall, and historians have long argued about why. Some point to military defeat,
others to economic troubles, overstretched borders, internal conflict, disease or changes in
climate. Usually it is a combination of causes working over long periods rather than one
dramatic event. People living through these changes did not always notice them as a fall. Life
in many towns went on, trade continued in new forms and old ways mixed with new ones. The idea
of a sudden collapse is often more dramatic than the reality.

Early flight fascinated the public. For centuries people had dreamed of flying like birds, and
many brave inventors tried wings, balloons and gliders with mixed success. Hot air balloons
carried the first passengers into the sky in the late eighteenth century. Powered aeroplanes
arrived in the early twentieth century, starting with short hops of a few seconds. Within a few
decades, aircraft were crossing oceans and carrying passengers, mail and cargo. Few technologies
have developed so quickly or changed the world so much in a single lifetime.

History is not only about kings and battles. Social historians study how ordinary people worked,
ate, married, raised children, played and worshipped. They read court records, household
accounts, letters, songs and even rubbish heaps to piece together everyday life. This kind of
history shows that people in the past were neither simply wiser nor simply more foolish than us.
They faced different problems with the knowledge and tools they had. Understanding their lives
helps us see our own world as one chapter in a much longer story.
""")

_REPLAY += _paragraphs("""
Everything around us is made of atoms, tiny particles far too small to see even with an ordinary
microscope. Each atom has a dense centre called the nucleus, made of protons and neutrons,
surrounded by a cloud of much lighter electrons. The number of protons decides which element the
atom belongs to: one for hydrogen, six for carbon, eight for oxygen and so on. Atoms join
together to form molecules, and the way they bond explains why water is wet, why salt dissolves
and why diamonds are so hard.

Photosynthesis is the process by which plants, algae and some bacteria capture the energy of
sunlight and store it in sugar. Inside their leaves, a green pigment called chlorophyll absorbs
light. That energy is used to combine carbon dioxide from the air with water from the soil,
producing glucose and releasing oxygen as a by-product. Almost all life on Earth depends on this
process, either directly or by eating things that did. The oxygen we breathe was largely
produced by photosynthesis over hundreds of millions of years.

Gravity is the force that pulls objects with mass towards each other. It keeps our feet on the
ground, holds the Moon in orbit around the Earth and keeps the Earth circling the Sun. It is by
far the weakest of the fundamental forces, which is why a small magnet can lift a paper clip
against the pull of the entire planet. Yet over large distances and huge masses, gravity
dominates. It shapes galaxies, gathers gas into stars and, in extreme cases, creates black holes
from which not even light can escape.

Water is an unusual substance in many ways. Most materials become denser when they freeze, but
water expands, which is why ice floats. This matters enormously for life, because lakes and
ponds freeze from the top down, and the ice forms an insulating layer that allows fish and other
creatures to survive below. Water also holds a great deal of heat, so large bodies of water warm
and cool slowly, softening the climate of nearby coasts. It dissolves more substances than
almost any other liquid, which is why it is so important inside living cells.

When I was about ten, my science teacher dropped a feather and a coin at the same time. The coin
hit the floor instantly while the feather drifted slowly down. Then she told us that in a
vacuum, with no air, they would fall at exactly the same speed. Nobody believed her. The
following week she showed us a film of an astronaut doing the same experiment on the Moon, and
the feather and the hammer landed together. The whole class gasped. I think that was the moment
I started to love science.

Cells are the basic units of life. Some living things, such as bacteria, consist of just a
single cell, while a human body contains tens of trillions of them. Each cell is surrounded by a
thin membrane that controls what enters and leaves. Inside, many kinds of cells contain a
nucleus that holds genetic material, along with other structures that produce energy, build
proteins and carry out other jobs. Cells in our bodies are specialised: nerve cells carry
messages, muscle cells contract and red blood cells carry oxygen.

Sound is a vibration that travels through a material such as air, water or solid rock. When a
guitar string is plucked, it pushes the air around it back and forth, creating waves of higher
and lower pressure that spread outwards. When these waves reach our ears, they make the eardrum
vibrate, and our brain interprets the vibration as sound. The speed of the vibration determines
the pitch: faster vibrations give higher notes. Sound cannot travel through empty space, which
is why explosions in space films should really be silent.

The Moon has always shaped life on Earth. Its gravity pulls on the oceans, creating the rising
and falling tides that shape coastlines and the lives of countless shore creatures. It reflects
sunlight, giving us moonlit nights, and its changing phases gave early people one of their first
ways to measure time. The Moon always keeps the same face turned towards us, because it rotates
once for every orbit it makes around the Earth. The far side is not permanently dark, though; it
simply cannot be seen from here.

Evolution by natural selection explains how living things change over many generations.
Individuals in a population vary slightly, and some of those differences are passed on to their
offspring. If a trait helps an organism survive and reproduce in its environment, it is likely
to become more common over time. Over long periods, these small changes can add up to new
species. The theory was developed in the nineteenth century and has since been supported by
fossils, studies of living populations and the discovery of genes.

Magnets have two ends, or poles, usually called north and south. Opposite poles attract each
other and like poles repel, which anyone who has played with two fridge magnets can feel. The
Earth itself behaves like a giant magnet, thanks to movements of molten iron deep in its core.
This is why a compass needle, which is a tiny magnet free to turn, points roughly north. The
Earth's magnetic field also protects the planet from streams of charged particles coming from
the Sun, and it helps some animals find their way.

Stars are huge balls of hot gas, mostly hydrogen and helium, held together by their own gravity.
In their cores, the pressure and temperature are so extreme that hydrogen atoms fuse into
helium, releasing enormous amounts of energy. This energy slowly makes its way to the surface
and shines out into space as light and heat. Our Sun is an ordinary, middle-sized star. Larger
stars burn brighter and faster and may end their lives in spectacular explosions, while smaller
stars glow dimly for far longer than the Sun will.

The human heart is a muscular pump about the size of a fist. It beats roughly seventy times a
minute when we are at rest, and far faster during exercise. It has four chambers. The right side
receives blood that has travelled around the body and sends it to the lungs to pick up oxygen.
The left side receives this fresh blood from the lungs and pumps it out to the rest of the body
through the arteries. Over a lifetime, a heart beats billions of times without ever stopping to
rest.

My daughter asked me why the sky is blue, and I realised I did not really know. So we looked it
up together. Sunlight contains all the colours, and as it passes through the air, the tiny gas
molecules scatter shorter wavelengths, such as blue, much more than longer ones, such as red. So
wherever you look in the sky, you see blue light that has been bounced towards you. At sunset,
the light travels through much more air, most of the blue is scattered away, and the sky turns
orange and red.

Chemical reactions happen when substances rearrange their atoms to form new substances. Rust is
one example: iron slowly reacts with oxygen and water to form a flaky reddish compound. Burning
is another, as fuel combines rapidly with oxygen, releasing heat and light. Cooking involves
countless reactions, from the browning of bread to the setting of an egg. Some reactions release
energy, making their surroundings warmer, while others absorb energy and feel cold, as in the
instant cold packs used for sports injuries.

Volcanoes form where molten rock from deep inside the Earth finds a way to the surface. Many are
found along the edges of the great plates that make up the Earth's outer shell, where plates
pull apart or one slides beneath another. Some eruptions are gentle, with rivers of runny lava
flowing down the slopes. Others are explosive, throwing ash high into the atmosphere. Although
volcanoes can be dangerous, the soil around them is often very fertile, which is why people have
farmed their slopes for thousands of years.

Energy cannot be created or destroyed, only changed from one form to another. This principle is
one of the most important in all of science. When you ride a bicycle downhill, energy stored by
your height is turned into motion. When you brake, that motion turns into heat in the brakes. A
power station turns the chemical energy in fuel, or the motion of wind or water, into electrical
energy. Your body turns the chemical energy in food into movement and warmth. The total amount
always stays the same.

Bacteria are among the oldest and most widespread forms of life. They live in soil, water, ice,
hot springs and inside other living things, including us. A human body carries enormous numbers
of them, especially in the gut, where many help digest food and protect against harmful
microbes. Only a small minority of bacteria cause disease. Many are essential to the planet,
breaking down dead material, fixing nitrogen for plants and producing oxygen. People also use
them to make foods such as yoghurt and cheese.

Light travels faster than anything else in the universe, at nearly three hundred thousand
kilometres per second. Even so, the universe is so large that light from distant stars takes
years, centuries or even millions of years to reach us. This means that when we look at the
night sky, we are seeing stars as they were long ago, not as they are now. Some of the faint
smudges visible through a good telescope are entire galaxies whose light set out before there
were any humans on Earth.

The periodic table arranges all the known chemical elements in order of the number of protons in
their atoms. Elements in the same column tend to behave in similar ways, because their outer
electrons are arranged alike. Metals sit on the left and in the middle, while most non-metals
are on the right. When the table was first drawn up, its creator left gaps for elements that had
not yet been discovered and predicted their properties. When those elements were found and
matched his predictions, the table's power became clear.

Earthquakes happen when huge blocks of rock in the Earth's crust suddenly slip past one another.
Stress builds up slowly over years or centuries as the great plates of the Earth's surface push
and pull, until the rocks break or slide along a fault. The energy released travels outwards as
seismic waves, shaking the ground. Scientists cannot yet predict exactly when an earthquake will
strike, but they can identify areas at risk. Strong building designs and public preparation save
many lives in earthquake-prone regions.

Our sense of smell is closely linked to memory and emotion. A particular scent, such as freshly
cut grass, a certain soap or a grandmother's cooking, can suddenly bring back a long-forgotten
moment with surprising force. This happens partly because the parts of the brain that process
smell are closely connected to those that handle memories and feelings. Humans can distinguish a
very large number of different odours, even if we often struggle to name them. Much of what we
call taste is actually smell as well.

Plants may seem passive, but they respond to their surroundings in many ways. Their stems bend
towards light, their roots grow downwards in response to gravity, and some flowers open in the
morning and close at night. Certain plants fold their leaves when touched, and some climbing
plants wrap tendrils around any support they meet. Many release chemicals when attacked by
insects, which can warn neighbouring plants or even attract predators of the attacking insects.
They do all this without any brain or nervous system.

Temperature is a measure of how fast the particles in a substance are moving. In a hot cup of
tea, the molecules jiggle and bump into each other rapidly. In a block of ice, they vibrate more
slowly in fixed positions. Heat always flows from hotter things to cooler things until they
reach the same temperature, which is why a hot drink cools down and an ice cube melts in your
hand. There is a lowest possible temperature, called absolute zero, at which particles would
have the least possible motion.

Dinosaurs ruled the land for a very long time before most of them disappeared around sixty-six
million years ago. Scientists learn about them from fossils: bones, teeth, footprints, eggs and
even impressions of skin and feathers preserved in rock. We now know that many dinosaurs had
feathers and that birds are their living descendants. The great extinction that ended their age
is widely linked to the impact of a huge asteroid, which caused dramatic changes to the climate.
Small mammals survived and eventually spread into the spaces left behind.

Science is not a collection of facts so much as a way of asking questions. A scientist observes
something, suggests a possible explanation and then tests it with experiments or careful
observations. If the results do not match the prediction, the idea must be changed or abandoned.
Results are shared so that others can check them and try to repeat them. Over time, ideas that
survive many tests become strong theories. Even these remain open to revision if new evidence
appears, which is part of what makes science so powerful.
""")

_REPLAY += _paragraphs("""
Football, known in some countries as soccer, is probably the most widely played sport in the
world. Its appeal lies partly in its simplicity. All you really need is a ball and a bit of open
ground, and two jumpers on the grass can serve as goalposts. Children play it in streets, parks
and school yards on every continent. At the professional level it has become a huge industry,
followed by enormous crowds and television audiences, but its heart remains in the small local
games played every weekend by people who simply love it.

I started running in my late thirties after a doctor gently suggested I needed more exercise.
The first week was miserable. I could barely run for a minute without stopping, gasping and red-
faced, while older runners glided past me with annoying ease. But I kept at it, following a
simple plan that mixed short runs with walking. Within two months I could run for half an hour
without stopping. Now I run three mornings a week, and those quiet early miles have become the
most peaceful part of my life.

Swimming is one of the best forms of exercise for almost everyone. Because the water supports
the body's weight, it puts very little strain on joints, which makes it suitable for people with
injuries and for older swimmers. At the same time, moving through water works the heart, lungs
and many different muscles. Learning to swim is also an important safety skill. Different
strokes suit different people: front crawl is the fastest, breaststroke is gentle and steady,
backstroke keeps the face out of the water and butterfly is exhausting to watch.

Cycling can be a sport, a hobby or simply a way of getting around. In some cities, more people
travel by bicycle than by car, thanks to flat streets and safe cycle lanes. Riding to work is a
way of building exercise into the day without setting aside extra time. At the other extreme,
professional road races cover hundreds of kilometres over mountains, with riders working
together in teams and reaching remarkable speeds on descents. Between the two lies a world of
weekend riders exploring country lanes for the pleasure of it.

Tennis is played by two or four players who hit a ball over a net with rackets. The scoring
system is famously strange, with points counted as fifteen, thirty and forty rather than one,
two and three, and a score of zero called love. The origins of these terms are uncertain, though
many stories have been suggested. Matches can be played on grass, clay or hard courts, and each
surface changes how the ball bounces and how quickly players must react. Good tennis combines
power, precision, speed and clever tactics.

Warming up before exercise is easy to skip but worth the few minutes it takes. Gentle movement
raises the heart rate, sends more blood to the muscles and makes joints move more freely, which
helps prevent injury. A good warm-up might start with brisk walking or light jogging, followed
by movements that mimic the activity ahead, such as leg swings before running or arm circles
before swimming. After exercise, a slower cool-down helps the body return to rest. Stretching is
most effective when the muscles are already warm.

The Olympic Games have ancient roots. In ancient Greece, athletes gathered every four years at
Olympia to compete in running, wrestling, boxing, chariot racing and other events in honour of
the gods. The modern Games were revived at the end of the nineteenth century and have grown into
a huge international festival featuring thousands of athletes from around the world. There are
now separate summer and winter Games. For many athletes, competing there, let alone winning a
medal, is the dream of a lifetime.

My son's under-ten football team lost every single game in its first season. Most weeks the
score was embarrassing. The coach, a patient man who ran a bakery during the week, never once
shouted at the children. Instead he praised good passes, brave tackles and anyone who helped a
teammate up after a fall. By the second season, the team had started to win a few matches. More
importantly, the children loved going to training. I learned more about leadership watching that
coach than from any book.

Basketball was invented as an indoor game to keep students active during cold winters. The first
version used a football and peach baskets nailed to a balcony, and someone had to climb up and
retrieve the ball after each score. The game spread quickly through schools and clubs and
eventually around the world. Today it is fast and athletic, with players dribbling, passing and
shooting at a hoop high above the court. It can be played with just a few friends and a single
hoop, which has helped it become popular in towns and cities everywhere.

Yoga began in ancient India as a spiritual and philosophical practice, of which physical
postures were only one part. In many countries today, it is mainly known as a form of exercise
that combines stretching, strength, balance and breathing. Classes range from slow and gentle to
fast and demanding. Many people find that regular yoga improves flexibility and posture and
helps them feel calmer. A good teacher encourages students to move within their limits and avoid
forcing their bodies into positions they are not ready for.

Marathon races are about forty-two kilometres long. The distance is linked to a legend of a
messenger who ran from a battlefield to a city to announce a victory, although the exact length
was only fixed much later. Running a marathon requires months of training, gradually building up
the distance of long runs while giving the body time to recover. On race day, many runners find
that the crowds, music and shared effort carry them through the difficult final miles. Crossing
the finish line is often an emotional experience.

Rest is an essential part of any training plan. When we exercise hard, we create tiny amounts of
damage in our muscles, and it is during recovery that the body repairs them and grows stronger.
Without enough rest, performance stalls, injuries become more likely and motivation often fades.
Sleep is especially important, as is eating enough and drinking enough water. Many athletes plan
easy days and rest days as carefully as they plan their hardest sessions. Doing less, at the
right time, can help you achieve more.

Cricket is a bat-and-ball game played between two teams of eleven. It is enormously popular in
several countries, where big matches can bring daily life to a standstill. One team bowls and
fields while the other bats, trying to score runs by hitting the ball and running between two
sets of wooden stumps. Some forms of the game last for several days, with breaks for lunch and
tea, while shorter versions finish in a few hours. Its rules and language can seem mysterious to
newcomers, but its fans find endless drama in it.

Climbing has grown from a niche pursuit into a popular sport, thanks largely to indoor climbing
walls. These walls have coloured holds bolted onto them, arranged into routes of different
difficulty. Bouldering involves short climbs without ropes above thick mats, while roped
climbing reaches greater heights with a partner controlling the rope from below. Climbing builds
strength, especially in the fingers, arms and core, but it is also a puzzle. Working out how to
move from one hold to the next is just as important as raw power.

Every summer our village holds a sports day on the field behind the church. There is nothing
serious about it. There are egg-and-spoon races, three-legged races, a tug of war between the
two pubs and a sack race for the grandparents. The vicar usually falls over at least once.
Someone sets up a stall selling lemonade and cake, and the whole thing ends with a picnic as the
sun goes down. Nobody remembers who wins anything, but everybody remembers the laughter.

Skiing began as a practical way of travelling across snow and only later became a sport. In
snowy regions, people used long wooden boards to hunt, travel and carry goods through winter for
thousands of years. Modern downhill skiing developed with the growth of mountain resorts and ski
lifts. Cross-country skiing, which involves gliding over flatter ground, remains a superb form
of exercise that works the whole body. Both forms require patience to learn, and beginners spend
a good deal of time sitting in the snow.

Team sports teach lessons that go well beyond the game itself. Players learn to cooperate, to
communicate clearly and to trust one another. They learn that individual talent is not enough if
a team does not work together. They also learn to lose gracefully and to win without gloating,
which are not easy skills for anyone. For children in particular, belonging to a team can build
confidence and friendships. Many adults look back on the teams they played for as young people
with great fondness.

Walking is often overlooked as exercise because it seems too easy. Yet a brisk daily walk brings
many of the same benefits as more demanding activities. It strengthens the heart, helps control
weight, improves mood and can be done almost anywhere without special equipment. Walking with a
friend turns exercise into conversation, while walking alone can be a time to think. Choosing
stairs instead of lifts, getting off the bus a stop early or walking to the shops all add up
over the course of a week.

Golf is a game in which players try to hit a small ball into a series of holes using as few
strokes as possible. Courses are laid out over large areas of grass, with obstacles such as sand
bunkers, ponds and trees. Players use a range of clubs for different distances and situations.
Golf is often described as a game of patience and concentration, since a single poor shot can
spoil a good round. It can be played well into old age, and many players enjoy it as much for
the walk and the company as for the score.

Boxing is one of the oldest combat sports, with records of it from the ancient world. Modern
boxing follows rules that limit where and how a fighter may strike, and bouts are divided into
rounds with short rests in between. Many people train in boxing without ever fighting in
competition, because the training itself is excellent for fitness. Skipping, bag work, footwork
drills and pad work build speed, strength, coordination and stamina. A good boxing gym is often
a close community, with a strong sense of discipline and respect.

Table tennis is fast, fun and surprisingly demanding at a high level. The ball is light and
travels very quickly over the short table, so players must react in a fraction of a second. Spin
plays a huge part in the game, and skilled players can make the ball curve, dip or kick sideways
off the table. Yet almost anyone can enjoy a casual game in a garage or a community hall. It is
one of the few sports in which a grandparent and a grandchild can play each other on fairly
equal terms.

I have always been the last person picked for any team. At school I was clumsy, slow and mostly
interested in books. As an adult I avoided sport entirely, until a friend persuaded me to try a
beginners' rowing class. To my surprise, I loved it. Rowing suited me because it rewarded
patience and rhythm more than natural talent. Sitting in a boat with three other people, all
moving together as the mist rose off the river at dawn, I finally understood why people get so
passionate about sport.

Hydration matters for anyone who exercises, but especially in hot weather. When we work hard, we
sweat to cool down, losing water and salts. Even a small loss of water can make us feel tired,
dizzy or unfocused, and large losses can be dangerous. For most everyday exercise, drinking
water before, during and after activity is enough. During long or intense sessions, sports
drinks can help replace salts and provide energy. Thirst is a useful guide, although older
people and young children may not always notice it in time.

Rugby grew from a style of football in which players were allowed to carry the ball in their
hands. It is a physical game in which teams try to carry or kick the ball over the opponents'
line. Players tackle hard, push against each other in scrums and lift teammates to catch the
ball in lineouts. Despite its toughness, rugby has a strong culture of respect for referees and
opponents, and after matches the two teams often share food and drinks. It is especially popular
in a handful of countries, where it is followed passionately.

Sport can unite people in remarkable ways. A big international tournament can bring together
fans from very different backgrounds, cheering side by side in bars and public squares. Local
clubs give people a reason to meet every week and a sense of belonging. At the same time, sport
can also stir up rivalries that sometimes turn ugly. Most people who play or watch sport,
however, do so for simple reasons: the joy of movement, the excitement of competition and the
pleasure of sharing it with others.
""")

_REPLAY += _paragraphs("""
Knitting has enjoyed a revival in recent years, attracting people of all ages who want to make
something with their hands. The basic idea is simple: loops of yarn are pulled through other
loops using two needles, creating a flexible fabric. From just two basic stitches, knit and
purl, an astonishing variety of patterns can be made. Many knitters say the repetitive movements
are calming, almost like meditation. There is also a deep satisfaction in wearing a jumper or
scarf you have made yourself, even if the sleeves turn out slightly different lengths.

When I was a teenager, I saved for months to buy a second-hand guitar. It had a crack in the
body and one of the tuning pegs was loose, but to me it was beautiful. I learned my first three
chords from a book borrowed from the library, practising in my bedroom until my fingertips were
sore and my family begged for mercy. It took weeks before I could switch between chords without
a long pause. The first time I played a whole song all the way through, I felt like a rock star.

Drawing is a skill that can be learned, not a talent that people either have or lack. Much of it
is about learning to see. Beginners tend to draw what they think an object looks like, rather
than what is actually in front of them. Exercises such as drawing an object upside down, or
drawing only its outline without looking at the paper, help break that habit. Regular practice
matters more than expensive materials. A cheap sketchbook and a pencil, used for ten minutes a
day, will lead to real improvement within a few months.

Chess has been played for well over a thousand years, developing from earlier games in India and
Persia. Each player commands an army of sixteen pieces, and the goal is to trap the opposing
king so that it cannot escape capture. The rules can be learned in an afternoon, yet the game is
so deep that even the strongest players keep discovering new ideas. Chess clubs meet in
libraries, cafes and church halls all over the world, and a game can become a conversation
between two people who share no other language.

Choirs have a special kind of magic. When many voices join in harmony, the sound can be powerful
enough to raise the hairs on your arms. You do not need to be a great singer to join many
community choirs; some do not even ask you to audition. Singing with others has been linked to
better mood and a strong sense of belonging, and it also exercises the lungs. Learning to listen
to the voices around you and blend with them is as important as singing your own part correctly.

Model railways are a hobby that combines engineering, history, carpentry, electronics and art.
Enthusiasts build miniature landscapes with hills, rivers, stations and towns, often recreating
a particular place and period in great detail. Tiny trees are made from foam and wire, houses
are painted by hand and little figures wait on platforms. Some layouts fill an entire attic or
garage and take decades to complete. For many modellers, the trains themselves are almost less
important than the patient creation of a small, perfect world.

Pottery begins with a lump of clay and a great deal of patience. On the wheel, the potter must
first centre the clay, pressing and guiding it until it spins perfectly evenly. Only then can
the walls of a pot be drawn upwards. Beginners often find that their clay wobbles, collapses or
flies off the wheel altogether. After shaping, pots must dry slowly, be fired in a kiln, glazed
and fired again. Each step can go wrong, which makes a successful piece all the more satisfying.

My aunt has been doing jigsaw puzzles every winter for as long as I can remember. She sets them
up on a folding table in the corner of her living room and works on them for a few minutes at a
time, usually with a cup of tea in hand. Visitors cannot resist adding a piece or two as they
pass. She prefers puzzles with a thousand pieces and difficult pictures, such as skies or
forests. When a puzzle is finished, she admires it for a day, then breaks it up and starts
another.

Photography as a hobby has never been more accessible. Yet taking good pictures still depends on
the same basic ideas it always did: light, composition and timing. The soft light of early
morning and late afternoon flatters almost any subject. Placing the main subject slightly off
centre often makes an image more interesting. Getting closer than feels comfortable can improve
many photographs. And patience matters, whether waiting for a bird to land or for a passer-by to
step into the right spot. The best camera is the one you have with you.

Learning to play the piano as an adult is both frustrating and rewarding. Unlike children,
adults tend to be impatient with their own mistakes and painfully aware of how far they have to
go. But adults also have advantages: they can understand music theory more easily, practise with
focus and choose pieces they truly love. Short daily practice is much more effective than one
long session a week. Many adult learners say that the piano gives them a space where work and
worries disappear for a while.

Painting with watercolours is unpredictable, which is both its charm and its challenge. Because
the paint is thin and transparent, colours mix on the paper in ways that are hard to control.
Pigment spreads along wet areas, forms soft edges and dries lighter than it looked when wet.
Mistakes are difficult to cover up. Experienced painters learn to work with these qualities
rather than against them, leaving areas of white paper to stand for light and letting colours
bleed into each other to suggest mist, water or sky.

Birdwatching can be enjoyed almost anywhere, from a city park to a remote coastline. All you
need to start is a pair of binoculars, a simple field guide and some patience. Beginners often
learn to recognise birds first by their shapes and colours and later by their songs and
behaviour. Keeping a notebook of sightings adds to the pleasure. Many birdwatchers find that the
hobby slowly changes the way they experience the world. A walk to the shops becomes a chance to
notice a robin on a fence or a hawk circling overhead.

Woodworking begins with an understanding of the material. Wood has a grain, like the fibres in a
piece of celery, and it cuts, splits and bends differently depending on the direction of that
grain. It also moves with changes in humidity, swelling and shrinking slightly through the
seasons, so good furniture is designed to allow for this movement. Hand tools such as saws,
chisels and planes demand patience and sharpness, while power tools make work faster but require
great care. A well-made wooden object can last for generations.

Board games have become popular again as people look for ways to spend time together away from
screens. Modern board games range from quick party games to long strategy games that fill an
entire evening. Some are competitive, while others are cooperative, with all the players working
together against the game itself. A good game night has snacks, a table with plenty of space and
at least one person willing to read the rules out loud. Arguments about the rules are, of
course, part of the tradition.

Jazz grew out of many musical traditions, blending the rhythms, blues and spirituals of African
American communities with brass band music and popular songs. One of its defining features is
improvisation, in which musicians create melodies on the spot, responding to each other in real
time. A jazz performance can be different every night, even if the band plays the same tunes.
Over the decades, jazz has taken many forms, from lively dance music to slow, thoughtful ballads
and complex experimental pieces.

Collecting seems to be a deep human instinct. People collect stamps, coins, shells, postcards,
vinyl records, teapots, toy cars and almost anything else you can imagine. For some, the
pleasure lies in completing a set. For others, it is the hunt through markets and second-hand
shops, or the stories behind each object. Collections often begin by accident, with a gift or a
souvenir, and then quietly grow. Many collectors say that their hobby has taught them history,
geography and patience, along with a little about themselves.

I joined a local writing group last year, mostly because a friend needed company. We meet once a
fortnight in the back room of a café and read our work aloud to each other. I was terrified the
first time I shared a story, convinced everyone would think it was terrible. They were kind but
honest, pointing out what worked and what did not. Over the year my writing has improved more
than I thought possible. The deadlines help, but the real gift has been the encouragement of
people who understand.

Calligraphy is the art of beautiful writing. In many cultures it has been considered one of the
highest art forms, practised with brushes, quills or broad-nibbed pens. Each tradition has its
own styles and rules, but all demand a steady hand, careful spacing and a sense of rhythm.
Beginners usually practise basic strokes over and over before forming whole letters. In a world
where most writing is typed, the slow, deliberate movement of calligraphy offers a peaceful and
satisfying contrast.

Baking bread at home has become a popular hobby, partly because it involves both science and
craft. Bakers learn to judge when dough has been kneaded enough by how smooth and stretchy it
feels, and when it has risen enough by gently pressing it with a finger. The smell of bread
baking fills a house in a way nothing else does. Many home bakers keep a sourdough starter,
feeding it regularly like a pet and giving portions away to friends, so that one starter can
spread across a whole town.

Astronomy is one of the few sciences in which amateurs still make real contributions. With a
modest telescope, or even a good pair of binoculars, you can see the craters of the Moon, the
moons of Jupiter and the rings of Saturn. Dark skies away from city lights reveal the faint band
of the Milky Way. Amateur astronomers have discovered comets, tracked variable stars and spotted
new features on planets. Many say the greatest reward is simply the sense of wonder that comes
from looking up at night.

Sewing your own clothes can seem daunting, but many people find it deeply satisfying once they
get started. Beginners usually start with simple projects such as cushion covers, tote bags or
loose skirts, learning to cut fabric, pin pieces together and sew straight seams. Patterns
provide the shapes to cut, although reading them can feel like learning a new language at first.
Making clothes that fit your body exactly, in fabrics you love, can change how you feel about
clothes altogether. Repairing old garments is a useful skill too.

Amateur theatre brings together people who might never otherwise meet. A retired teacher, a shop
assistant, a student and a nurse can find themselves rehearsing a play together two evenings a
week. Some are on stage, while others build sets, sew costumes, run the lights or sell tickets.
The weeks before opening night are usually chaotic, with lines forgotten and scenery wobbling.
Yet somehow it all comes together in front of an audience. The friendships formed backstage
often last long after the final curtain.

Origami is the Japanese art of folding paper into shapes without cutting or gluing. Starting
from a single square sheet, skilled folders can create birds, flowers, animals and complex
geometric forms. The simplest models can be learned in minutes, while advanced designs may
involve hundreds of precise folds. Origami has also inspired scientists and engineers, who have
used folding techniques to design things that must be packed small and opened later, such as
large panels for equipment sent into space.

Gardening, cooking, music and craft are often described as hobbies, but for many people they are
much more than that. They offer a way to relax, a sense of achievement and a reason to meet
others with the same passion. In a working life that can feel abstract, a hobby often provides
something concrete: a finished scarf, a loaf of bread, a song played well. Psychologists have
noted that absorbing activities, in which time seems to disappear, are good for our wellbeing.
Finding one can make a real difference.

My father took up painting at the age of seventy, after he retired. He had never painted before
and claimed he had no talent, but my mother bought him a set of oil paints for his birthday. At
first he painted the view from the kitchen window over and over: the same shed, the same apple
tree, the same fence. Slowly the paintings became bolder and more confident. Now the house is
full of them, and he has even sold a few at the village summer fair.
""")

_REPLAY += _paragraphs("""
Cleaning the house goes much faster with a routine. Instead of leaving everything until the
weekend and spending hours scrubbing, many people find it easier to do a little each day: wiping
the kitchen counters after dinner, a quick tidy of the living room before bed, a load of washing
every other morning. Bigger jobs, such as cleaning windows or the oven, can be spread across the
month. Working from the top of a room down means dust falls onto areas you have not cleaned yet,
rather than ones you have.

Moving house is said to be one of the most stressful events in life, and after our last move I
can believe it. We thought we had been organised, labelling every box and booking a van weeks in
advance. Then the van arrived late, it rained all day and we discovered that the sofa would not
fit up the new staircase. By evening we were sitting on boxes, eating cold pizza in a room full
of chaos. Strangely, it is now one of our favourite memories. The sofa eventually went in
through the window.

Laundry symbols on clothing labels can be confusing, but they follow a simple logic. A tub with
water means the item can be washed, and the number or dots inside show the maximum temperature.
A hand in the tub means hand wash only. A triangle refers to bleach, a square to drying and an
iron to ironing, with dots indicating how hot it can be. A circle usually refers to dry
cleaning. A cross through any symbol means do not. Following these signs can add years to the
life of favourite clothes.

Small repairs around the home are easier than many people think. A dripping tap often needs only
a new washer, a wobbly chair a little glue and a clamp, and a squeaky door a drop of oil on the
hinges. Learning to use a few basic tools, such as a screwdriver, a hammer, a spirit level and a
drill, saves money and the frustration of waiting for help. There are limits, of course. Gas and
major electrical work should always be left to qualified professionals, for safety.

Keeping a home warm in winter without spending a fortune starts with keeping heat in. Draughts
around doors and windows can be blocked with simple strips or a fabric snake along the bottom of
a door. Thick curtains, closed at dusk, make a surprising difference, as do rugs on bare floors.
Radiators work better if furniture is not pushed in front of them. Turning the thermostat down
by a single degree is barely noticeable but saves energy over a season, especially if you wear a
warm jumper indoors.

Our kitchen table has seen everything. It was my grandparents' table first, and there are still
marks on it from their children's homework. We have eaten thousands of meals at it, argued over
board games, rolled out pastry, wrapped presents and sat around it late at night when there was
bad news to share. One leg wobbles no matter what we do, and the surface is scratched and
stained. We could easily buy a new one, but we never will. It feels like part of the family.

Houseplants, candles and soft lighting can make a room feel cosy, but the biggest difference
often comes from clearing clutter. Surfaces covered with papers, cables and random objects make
a space feel smaller and more stressful. A simple approach is to take one drawer, shelf or
corner at a time and decide what to keep, what to give away and what to throw out. Things that
are kept should have a home where they belong. Regular small clear-outs are easier than one
enormous purge every few years.

Budgeting is not about never spending money; it is about knowing where it goes. Many people are
surprised when they first write down everything they spend for a month. Small daily purchases,
such as snacks or takeaway drinks, can add up to a large sum. A basic budget lists income, then
fixed costs such as rent and bills, then flexible spending such as food and entertainment, and
finally savings. Setting aside even a small amount every month for emergencies can make
unexpected costs far less frightening.

The washing machine transformed domestic life. Before it, washing clothes for a family could
take an entire day every week, with water heated over a fire, clothes scrubbed on boards, wrung
out by hand and hung to dry. It was exhausting work, usually done by women. Early machines still
needed a lot of effort, but as they improved and became automatic, they freed up enormous
amounts of time. Some historians argue that household appliances did as much to change people's
lives as many more famous inventions.

Good sleep habits start long before bedtime. Going to bed and getting up at roughly the same
time each day helps the body keep a steady rhythm. A cool, dark, quiet bedroom makes it easier
to fall asleep, as does avoiding heavy meals, caffeine and bright screens in the last hour or
two before bed. Many people find that a short routine, such as a warm shower followed by
reading, signals to the body that it is time to rest. Worries are easier to let go if written
down first.

My flatmate and I have a rule that whoever cooks does not wash up. It sounds simple, but it has
prevented countless arguments. The cook can make as much mess as they like, and the other person
clears it up afterwards, usually while the cook sits with a cup of tea offering unhelpful
advice. We take turns through the week, and on Sundays we cook together and share the washing
up. Living with someone is mostly about small agreements like this, which make daily life
smoother for everyone.

Food waste at home can be reduced with a few simple habits. Planning meals for the week and
writing a shopping list helps avoid buying things that will never be used. Storing food properly
matters too: some fruit and vegetables last longer in the fridge, while others, such as bananas
and tomatoes, are better kept out. Leftovers can be frozen in portions for quick meals later. It
also helps to understand date labels: a use-by date is about safety, while a best-before date is
mostly about quality.

Pets bring a great deal of joy into a home, but they also bring responsibility. A dog needs
daily walks, training and company, and can live for well over a decade. Cats are more
independent but still need food, care and regular visits to the vet. Even small animals, such as
rabbits and guinea pigs, need space, companionship and clean living areas. Before getting a pet,
it is worth thinking carefully about time, cost and what will happen during holidays. For those
who are ready, the rewards are enormous.

The front door of a house says a lot about the people who live there. Some are freshly painted
in bright colours with polished brass knockers, while others are hidden behind overgrown hedges
and piles of bicycles. Some have welcome mats and pots of flowers, others a scribbled note
asking delivery drivers to knock loudly. Walking down an ordinary street and noticing the doors
is a small pleasure. It is a reminder that behind each one is a whole household with its own
routines, stories and worries.

Saving energy at home is often a matter of small habits. Turning off lights when leaving a room,
not leaving appliances on standby and boiling only as much water as you need all help. Washing
clothes at lower temperatures is usually perfectly effective for everyday dirt. Fridges and
freezers work best when they are not overfilled and the door is not left open. Larger changes,
such as better insulation or more efficient appliances, cost more up front but can bring savings
and a more comfortable home for many years.

Growing up, Saturday mornings in our house meant chores. My brother and I each had a list pinned
to the fridge: hoover the stairs, clean the bathroom sink, sort the recycling, help with the
shopping. We complained loudly every single week. Only when the list was done could we go out to
play. At the time it felt terribly unfair. Looking back, I am grateful, because I left home
knowing how to look after myself, which is more than some of my university friends could say.

Decorating a room can change how it feels without costing a fortune. A fresh coat of paint is
the simplest transformation, and lighter colours make small rooms feel more spacious. Before
painting, it pays to prepare properly: fill holes, sand rough patches, wash the walls and
protect floors and furniture. Good brushes and rollers make the job easier. Beyond paint, moving
furniture around, changing cushions or curtains, or adding a mirror to reflect light can make a
familiar room feel new.

Ironing is a chore that divides people. Some find it relaxing, ironing in front of the radio
while a neat pile of shirts grows beside them. Others avoid it at all costs, buying clothes that
do not crease and hanging washing carefully so that it dries smooth. There are tricks for the
reluctant: taking clothes out of the dryer immediately, hanging shirts while still slightly
damp, or hanging a creased garment in a steamy bathroom. But for a truly crisp shirt, there is
still no substitute for an iron.

Neighbours can make a huge difference to everyday life. A friendly neighbour will take in
parcels, water plants during holidays, notice if something seems wrong and lend a ladder or a
cup of sugar. Getting to know the people next door does not have to take much effort. A wave, a
short chat over the fence or a plate of biscuits when someone new moves in can be the start of a
good relationship. In times of trouble, neighbours are often the first people able to help.

The kitchen has become the heart of many modern homes. In the past, kitchens were often small,
closed-off rooms where food was prepared out of sight. Today many are open spaces where families
cook, eat, work and talk together. Children do their homework at the table while dinner cooks,
and guests tend to gather there at parties no matter how comfortable the living room is. Perhaps
this is because cooking draws people together, or simply because that is where the food is.

Keeping important papers organised saves a great deal of stress. Documents such as passports,
birth certificates, insurance policies, tenancy agreements and tax records should be kept
together in a safe, dry place where everyone in the household knows to look. A simple folder
with labelled sections is often enough. It is also wise to keep copies of the most important
documents in a separate location. When something unexpected happens, such as a lost wallet,
having everything in order makes the next steps much easier.

Every household seems to have a drawer full of mysterious things. Ours contains old keys that
open nothing we own, a collection of rubber bands, three broken pens, instruction booklets for
appliances we no longer have, birthday candles, a tape measure, foreign coins and at least one
screw of unknown origin. Every few years someone tries to clear it out, but somehow it always
fills up again. Perhaps every home needs one place where small, slightly useful things can wait
for the day they are finally needed.

Bathrooms need regular cleaning to stay fresh, because warmth and moisture encourage mould and
mildew. Opening a window or running an extractor fan after a shower lets damp air escape. Wiping
down shower screens and tiles with a squeegee takes seconds and prevents stubborn marks from
building up. A weekly clean of the sink, toilet, bath and floor keeps things under control. For
tough limescale in hard-water areas, a mild acid such as vinegar or lemon juice can work
surprisingly well, though it should not be used on natural stone.

When my grandmother moved into a small flat, she had to decide what to keep from a house she had
lived in for fifty years. It was a difficult few weeks. Every object seemed to carry a memory:
the clock from her wedding, the tea set that was only used at Christmas, the children's drawings
in the attic. In the end she kept a few special things and gave the rest to family and friends,
so that each of us now has something of hers. She says the flat feels light and peaceful.

A home is more than a building. It is a collection of habits, smells, sounds and people that
together make a place where we feel safe. It might be the creak of a particular stair, the smell
of toast in the morning or the sound of a familiar voice calling from another room. People who
have moved many times often say that home is not a fixed place but something they carry with
them and rebuild wherever they go. It grows from the small rituals of everyday life.
""")

_REPLAY += _paragraphs("""
Foxes have adapted remarkably well to life alongside people. In many towns and cities they live
in gardens, parks and railway embankments, feeding on whatever they can find, from worms and
beetles to scraps left in bins. They are most active at dusk and during the night, which is why
many residents only ever hear them, especially during the winter breeding season, when their
eerie screams can sound almost human. Despite their reputation for cunning, foxes are shy
animals that usually avoid contact with people.

Owls are superbly designed for hunting at night. Their large eyes gather as much light as
possible, and their hearing is so sensitive that some species can catch prey hidden under snow
or leaves by sound alone. The flat disc of feathers around the face helps direct sound towards
their ears, which in some owls are set at slightly different heights to help judge where a noise
is coming from. Soft, fringed feathers allow them to fly almost silently, so that their prey has
little warning.

We adopted an old dog from a rescue centre a few years ago. He was grey around the muzzle, a
little deaf and very suspicious of men in hats. For the first few weeks he hid under the table
whenever anyone raised their voice. Slowly, with patience and a great many biscuits, he began to
trust us. Now he follows me from room to room, snores loudly by the fire and greets every
visitor with a wagging tail. Adopting an older animal was the best decision we ever made.

Whales are mammals, not fish. They breathe air through blowholes on the top of their heads, give
birth to live young and feed their calves on milk. Some, such as the blue whale, are the largest
animals that have ever lived, yet they feed on tiny shrimp-like creatures filtered from the
water through plates of baleen. Others, such as dolphins and sperm whales, have teeth and hunt
fish and squid. Many whales communicate with complex sounds, and some of their songs can travel
great distances underwater.

Hedgehogs are small, spiny mammals that wander surprising distances each night in search of
beetles, caterpillars and worms. They are welcome visitors in gardens, where they help control
pests. Unfortunately, fences and walls can make it hard for them to move between gardens, so
some neighbourhoods cut small holes at the bottom of fences to create hedgehog highways. When
threatened, a hedgehog rolls into a tight ball, protected by thousands of sharp spines. In cold
climates, hedgehogs hibernate through winter in nests of leaves.

Migration is one of nature's most extraordinary events. Every year, billions of birds fly
between their breeding grounds and their wintering areas, some covering thousands of kilometres.
Tiny songbirds cross seas and deserts, and some wading birds fly for days without stopping. They
find their way using a combination of the sun, the stars, the Earth's magnetic field and
landmarks such as coastlines and mountains. Other animals migrate too, including whales,
butterflies, salmon and herds of grazing animals following the rains across grasslands.

Elephants are known for their intelligence and strong family bonds. Herds are usually led by an
older female, whose memory of water holes and feeding grounds can be crucial during droughts.
Elephants communicate with a wide range of sounds, some too low for humans to hear, which can
travel long distances. Their trunks are astonishingly versatile, able to lift heavy logs, pick
up a single blade of grass, spray water and greet other elephants. Observers have described
elephants appearing to mourn their dead, returning to touch the bones of family members.

Cats were probably first drawn to human settlements by the mice and rats that gathered around
stores of grain. Farmers would have welcomed them as pest controllers, and over time a
partnership developed. Unlike dogs, cats were never really bred for specific jobs, and many of
them remain remarkably independent. Anyone who lives with a cat knows that it will accept
affection on its own terms. Their habits, such as sleeping in boxes, kneading soft blankets and
bringing home unwanted gifts, continue to amuse and puzzle their owners.

Learning something new as an adult can be humbling. Last year I decided to learn to swim
properly, after decades of splashing awkwardly in the shallow end. The teacher was half my age
and endlessly patient. In the first lesson I could not even put my face in the water without
panicking. By the end of the course I could swim a full length of front crawl, slowly but
without stopping. I have rarely felt so proud of anything. It reminded me that being a beginner
is uncomfortable but deeply rewarding.

Good teachers are remembered for a lifetime. Most people can name at least one teacher who
changed the way they saw themselves or the world. Often it was not the one with the most
impressive knowledge, but the one who noticed them, believed in them or made a subject come
alive. Teaching is demanding work that goes far beyond the lessons themselves: planning,
marking, supporting students with problems at home, managing a noisy classroom. Its effects,
though, ripple outwards for decades in ways teachers rarely get to see.

Reading aloud to children is one of the simplest and most valuable things a parent or carer can
do. It builds vocabulary, introduces the rhythms of language and shows that books are a source
of pleasure. It is also a time of closeness, with a child leaning against an adult's shoulder at
the end of the day. Children often want the same story again and again, which can test the
patience of the reader, but repetition helps them learn. Many adults remember the books they
were read long after childhood.

Exams can cause a great deal of anxiety, but good preparation makes a real difference. Spreading
revision over several weeks is far more effective than cramming the night before, because memory
works better with repeated practice over time. Testing yourself, for example with practice
questions or flashcards, helps more than simply rereading notes. Short breaks, regular meals,
exercise and enough sleep all support concentration. On the day itself, reading every question
carefully and managing time sensibly can prevent silly mistakes under pressure.

Curiosity is one of the most important qualities a learner can have. Young children ask
questions constantly, about why the sky is blue, where rain comes from and what happens to
people when they die. Somewhere along the way, many of us stop asking, perhaps because we are
afraid of looking foolish. Keeping curiosity alive as an adult means being willing to admit what
you do not know and finding joy in finding out. The people who continue to learn throughout
their lives are usually those who never lost the habit of asking why.

Apprenticeships are one of the oldest ways of passing on skills. For centuries, young people
learned trades such as carpentry, blacksmithing, weaving and baking by working alongside a
master craftsman for years. They began with simple, repetitive tasks and gradually took on more
difficult work as their skills grew. Modern apprenticeships still follow this basic idea,
combining paid work with training and study. For many people, learning by doing is far more
effective than learning from books alone, and apprenticeships offer a valuable route into
skilled careers.

My first job was washing dishes in a busy restaurant kitchen on Saturday nights. It was hot,
loud and exhausting. The chefs shouted at each other, the plates never stopped coming and by the
end of the night my hands were wrinkled and sore. But I loved it. There was a rhythm to the
chaos, and the staff looked after each other. At the end of each shift, we sat together and ate
whatever was left over. I learned more about hard work in that kitchen than anywhere else.

Working from home has become common for many people, and it brings both benefits and challenges.
There is no commute, which saves time and money, and it can be easier to fit work around family
life. But the line between work and home can blur, and some people find themselves working
longer hours without noticing. Having a dedicated space to work, keeping regular hours, getting
dressed properly and taking real breaks all help. Many people also miss the casual conversations
and friendships of a shared workplace.

Meetings are a familiar part of working life, and almost everyone has sat through one that felt
like a waste of time. Good meetings have a clear purpose, a short list of topics and only the
people who really need to be there. Someone should keep the discussion on track and make sure
decisions are written down, along with who will do what. Starting and finishing on time shows
respect for everyone involved. Sometimes the most useful meeting is the one that is replaced by
a short written note.

Choosing a career can feel overwhelming, especially when you are young and have so many options.
It may help to think about what kinds of tasks you enjoy, what you are good at and what matters
to you, rather than focusing only on job titles. Talking to people who already do a job can
reveal what it is really like day to day. It is also worth remembering that few people stay in
the same career for their whole lives. Skills carry over, and changing direction later is often
possible.

Taking breaks during the working day makes people more productive, not less. The mind cannot
stay sharply focused for hours without rest, and after a while concentration slips and mistakes
creep in. A short walk, a stretch, a cup of tea or a chat with a colleague can restore attention
surprisingly well. Lunch eaten away from the desk is better for both body and mind. Some people
use simple techniques, such as working in focused blocks of time followed by short pauses, to
build rest into their day.

Friendship changes as we grow older. In childhood, friends are often simply the people who live
nearby or sit next to us at school. In adulthood, friendships can be harder to maintain, as
people move away, start families and become busy with work. Yet research and experience both
suggest that close friendships are among the most important things for our happiness and health.
Keeping them alive often takes deliberate effort: a regular visit, an annual trip together or
simply remembering to ask how someone is really doing.

Kindness costs very little and often means a great deal. Holding a door, letting someone go
ahead in a queue, thanking a bus driver or listening properly to a friend who is having a hard
time can brighten another person's day. Small kind acts also seem to make the people doing them
feel better. It is easy to assume that others are too busy or that our gesture will not matter.
But many people can remember a stranger's unexpected kindness years later, during a moment when
they really needed it.

My best friend and I met on the first day of school, when we were five. She had lost her shoe
and I had lost my lunch box, and we helped each other look. We have been friends ever since,
through different schools, different cities and very different lives. We do not speak every week
anymore, but whenever we do meet, it feels as if no time has passed. We still laugh at the same
silly jokes. I cannot imagine my life without her, and I hope I never have to.

Saying sorry is surprisingly difficult for many people. A good apology is simple and sincere: it
names what went wrong, accepts responsibility without making excuses and, where possible, offers
to put things right. Adding a but, as in I am sorry, but you started it, usually cancels out the
apology. Equally important is the ability to accept an apology gracefully and let go of
resentment. Relationships between friends, families and colleagues all depend on this ability to
repair the small and large hurts that inevitably happen.

Boredom has a bad reputation, but it may be more useful than we think. When the mind has nothing
to do, it starts to wander, and wandering minds often come up with new ideas, make unexpected
connections or simply process the events of the day. Many people say their best thoughts come in
the shower, on a long walk or while staring out of a train window. Filling every spare moment
with entertainment leaves little space for this. A little boredom now and then can be good for
creativity.

Growing older brings losses, but also unexpected gains. Many people say they become more
comfortable with themselves as they age, caring less about other people's opinions and more
about what truly matters to them. Experience brings perspective, so that setbacks that would
once have seemed disastrous feel manageable. Older people often report greater contentment than
younger adults, despite health problems. Of course, ageing is different for everyone. But the
idea that life is all downhill after youth is, for many people, simply not true.
""")

_REPLAY += _paragraphs("""
Novels became one of the most popular forms of entertainment in the eighteenth and nineteenth
centuries, as more people learned to read and printing became cheaper. Many famous novels were
first published in instalments in magazines, leaving readers waiting eagerly for the next
chapter. Stories of love, ambition, crime and adventure allowed readers to imagine lives very
different from their own. A good novel can take us inside the mind of another person in a way
that few other art forms can, which may explain why people still read them so eagerly.

Poetry is perhaps the oldest form of literature. Long before writing, people used rhythm, rhyme
and repetition to remember and pass on stories, laws and prayers. Poems can be long tales of
heroes and journeys or just a few lines capturing a single moment, such as the sound of rain or
the feeling of losing someone. Reading poetry slowly, and out loud, often reveals more than a
quick silent reading. Many people who think they dislike poetry discover that they simply have
not yet found the right poet.

I read the same book every winter. It is a long, slightly old-fashioned novel about a family
living through a hard year on a farm, and nothing very dramatic happens in it. I first read it
as a teenager when I was ill in bed with a fever, and I have returned to it ever since. Each
time I notice something new, or I find that a character I once disliked now seems sympathetic.
The book has not changed, of course. I have, and it has become a way of measuring that.

Fairy tales were originally told aloud, often by adults to other adults, and many early versions
were much darker than the gentle stories children hear today. Collectors in the nineteenth
century travelled around gathering these tales and writing them down, sometimes softening them
along the way. The same basic stories appear in many cultures, with a poor child who outwits a
giant, a cruel stepmother, a magical helper or a forbidden door. Fairy tales endure because they
deal with deep fears and hopes in simple, memorable forms.

Detective stories follow a satisfying pattern. A crime is committed, usually a murder, and a
clever investigator gathers clues, questions suspects and finally reveals the truth, often in a
dramatic final scene. Readers enjoy trying to solve the puzzle before the detective does. The
genre has produced some of the most famous characters in fiction, from brilliant amateurs to
weary police officers. Part of its appeal may be the reassurance it offers: however confusing
the world seems, the story promises that order can be restored.

Cinema began with short films lasting only a minute or so, showing simple scenes such as workers
leaving a factory or a train arriving at a station. Early audiences were amazed simply to see
moving pictures. Within a few decades, films had grown into a powerful art form with complex
stories, skilled actors and grand sets. At first they were silent, accompanied by live music in
the theatre, and the arrival of synchronised sound transformed the industry. Colour, widescreen
formats and special effects followed over the years.

Going to the cinema is a very different experience from watching a film at home. The darkness,
the huge screen and the sound that seems to fill your body create a sense of immersion. Sitting
among strangers who laugh, gasp or cry at the same moments adds something too. Many people have
strong memories of particular films seen on the big screen, especially in childhood. Even as
home viewing has become more common, many still love the ritual of buying a ticket, finding a
seat and watching the lights go down.

My grandfather was a projectionist in a small town cinema for thirty years. He worked in a tiny
booth at the back, threading heavy reels of film into the projector and changing them at exactly
the right moment so that the audience never noticed. He told me stories about films that caught
fire, reels delivered in the wrong order and a famous actor who once came to watch his own film
unannounced. When the cinema finally closed, he kept one reel of film as a souvenir. It still
sits in my parents' attic.

Animated films are made by showing a rapid sequence of slightly different images, which the eye
and brain blend into smooth movement. Early animators drew every frame by hand, an enormous
amount of work for even a short film. Others built puppets and models and moved them a tiny
amount between each photograph. Today, much animation is created with computers, but the basic
principle remains the same. Good animation brings drawings and models to life with personality,
timing and expression, making audiences care about characters who never really existed.

Public squares have been the heart of towns and cities for thousands of years. They host
markets, festivals, protests, concerts and everyday meetings between friends. A good square is
lively without being overwhelming, with places to sit, some shade, perhaps a fountain and cafes
around the edges where people can watch the world go by. Many of the most beloved squares were
not carefully planned but grew over centuries. Walking into one after a maze of narrow streets
can feel like stepping into an outdoor living room.

Parks are sometimes called the lungs of a city. They offer space to walk, run, play, picnic and
simply sit in the sun. Trees cool the air in summer, reduce noise and provide homes for birds
and insects. Many large city parks were created in the nineteenth century, when reformers
worried that crowded, polluted towns were harmful to health. They believed that everyone, not
only the wealthy, deserved access to green space. Today, studies suggest that time spent in
parks can reduce stress and improve wellbeing.

Cities never truly sleep. Even late at night, there are bakers starting their shifts, cleaners
sweeping the streets, nurses working in hospitals, taxi drivers waiting at ranks and delivery
lorries arriving at shops. Early in the morning, before the rush begins, a city can feel
strangely peaceful, with quiet streets, birdsong and the smell of fresh bread. Then the pace
quickens, buses fill, and the pavements become crowded. Watching a city wake up is one of the
best reasons to get up early.

Street names often preserve history long after everything else has changed. A road called Mill
Lane may have lost its mill centuries ago, and a Market Street may no longer hold any market.
Some streets are named after trades once practised there, others after local landowners,
battles, saints or distant places. Reading the names on a city map can reveal where the old town
walls stood, where the river once flowed or what people grew in the fields that the houses now
cover.

Money took many forms before coins and paper notes. People have used shells, beads, salt,
cattle, grain and metal bars to pay for goods and settle debts. What mattered was that people
agreed to accept something as valuable. Coins made trade easier because they were durable,
portable and of a standard weight. Paper money came later and depended heavily on trust, since
the paper itself was worth almost nothing. Today, most money exists only as numbers in accounts,
and we rarely see or touch much of it.

Shopping has changed greatly over the past century. In the past, people usually bought food from
small specialist shops, such as the baker, the butcher and the greengrocer, where the shopkeeper
served them from behind a counter. Self-service shops, in which customers picked goods from the
shelves themselves, were a revolutionary idea when they appeared. Supermarkets grew larger and
sold more and more kinds of products under one roof. Some people now miss the personal service
of small local shops, and many towns try hard to keep them alive.

Haggling over prices is expected in many markets around the world and almost unheard of in
others. In places where it is customary, the first price offered is only the start of a friendly
negotiation, and buyers who accept it immediately may be seen as naive. Good hagglers stay
polite, show some interest but not too much and are prepared to walk away. For visitors from
places with fixed prices, it can feel awkward at first. But it often becomes a pleasant
conversation rather than a battle.

My first pay packet came in a small brown envelope, with cash inside and a slip of paper listing
the hours I had worked. I was sixteen, and I had spent the summer stacking shelves in a shop. I
remember holding that envelope and feeling enormously rich, though in truth it was a very small
amount. I spent some of it on a record, gave some to my mother and put the rest in a tin under
my bed. It was the first time I understood what money was really worth.

Horses worked alongside people for thousands of years before engines replaced them. They pulled
ploughs and carts, carried riders and messengers, powered mills and hauled barges along canals.
Different breeds were developed for different jobs, from heavy, patient draught horses to fast,
light riding horses. In many towns, horses were once everywhere, and their needs shaped the
streets, with stables, water troughs and blacksmiths on every corner. Today most horses are kept
for riding and sport, but they still hold a special place in many cultures.

Life on a small farm follows the seasons and the needs of the animals. Cows must be milked twice
a day, every day, whatever the weather and however tired the farmer feels. Spring brings lambs
and calves, often born in the middle of the night. Summer means long days of haymaking and
harvest, racing against the rain. Autumn is for ploughing and sowing, and winter for repairing
fences, feeding animals in the sheds and planning the next year. It is hard work, but many
farmers cannot imagine any other life.

Sheepdogs are remarkable working animals. With a few whistles and calls from the shepherd, a
good dog can gather a scattered flock from a hillside, drive it through a gate and separate
particular animals from the rest. The best dogs seem to understand exactly what is needed and
sometimes anticipate the shepherd's commands. Their herding instinct is strong, and young dogs
often try to round up anything that moves, including chickens, cats and small children. Sheepdog
trials, where dogs and handlers compete, are popular events in farming regions.
""")

# ---- held-out: general text never trained on ----

_HELDOUT += _paragraphs("""
Coral reefs are built by tiny animals called polyps, which live in vast colonies and produce
hard skeletons of limestone. Over thousands of years these skeletons pile up into enormous
structures that can be seen from space. Although reefs cover only a small fraction of the ocean
floor, they are home to a remarkable share of marine species, from brightly coloured fish to sea
turtles, sponges and shrimp. Many polyps depend on microscopic algae living inside their
tissues, and when the water becomes too warm, the algae leave and the coral turns pale.

The octopus is one of the most intelligent animals without a backbone. It can solve puzzles,
open jars, squeeze through gaps barely larger than its eye and escape from aquarium tanks when
nobody is watching. Much of its nervous system is spread through its eight arms, which can taste
and feel what they touch. An octopus can change the colour and texture of its skin in a fraction
of a second, blending into rocks or flashing warning patterns. Most species live only a year or
two, which makes their cleverness all the more surprising.

The deep sea is the largest habitat on Earth and also the least explored. Below a few hundred
metres, sunlight fades completely, and the water is cold, dark and under crushing pressure. Yet
life is found even in the deepest trenches. Many deep-sea creatures produce their own light,
using it to lure prey, find mates or confuse predators. Some fish have enormous mouths and
stretchy stomachs so they can eat whatever they meet, because meals are rare. Every expedition
to the deep still seems to discover species nobody has seen before.

When I was a child, my uncle took me rock pooling on a rocky shore at low tide. I expected to
find nothing but seaweed, but every pool turned out to be a tiny world of its own. There were
crabs that scuttled sideways under stones, anemones that closed like purses when touched, little
fish that darted into cracks and limpets clamped tightly to the rock. My uncle taught me to lift
stones gently and always put them back exactly as they were. I still cannot walk past a rock
pool without peering in.

Seaweeds are not really plants, although they use sunlight to make food in a similar way. They
are algae, and they come in green, brown and red forms. Large brown seaweeds called kelp can
grow into underwater forests that sway in the currents and shelter countless fish, snails and
sea urchins. On many coasts, people have eaten seaweed for centuries, in soups, salads, breads
and snacks. Seaweed is also used to thicken foods such as ice cream and to fertilise fields near
the shore.

Sharks have a fearsome reputation, but most species are harmless to people, and attacks are
extremely rare. Sharks have existed for hundreds of millions of years, far longer than
dinosaurs. Their skeletons are made of flexible cartilage rather than bone, and many can sense
the tiny electrical fields produced by the muscles of other animals. Some, like the whale shark,
are gentle giants that feed on plankton. Because many sharks grow slowly and have few young,
they are vulnerable to overfishing, and some populations have fallen sharply.

Rocks are usually sorted into three great families according to how they formed. Igneous rocks,
such as granite and basalt, cooled from molten material. Sedimentary rocks, such as sandstone
and limestone, built up in layers from sand, mud or the shells of sea creatures, later pressed
into stone. Metamorphic rocks, such as marble and slate, began as other rocks but were
transformed by heat and pressure deep underground. Over immense periods of time, rocks move
between these families in a slow cycle of melting, wearing away and rebuilding.

Caves form in many ways, but the most spectacular are usually carved in limestone. Rainwater
picks up a little carbon dioxide from the air and soil, becoming slightly acidic, and as it
seeps through cracks it slowly dissolves the rock. Over hundreds of thousands of years, small
cracks widen into passages and chambers. Dripping water leaves behind tiny amounts of mineral,
building icicle-like stalactites from the ceiling and stalagmites rising from the floor. Some
caves hold underground rivers and lakes, and animals that have lost their eyes in the darkness.

Crystals form when atoms arrange themselves in regular, repeating patterns. This inner order
shows on the outside as flat faces and sharp edges. Salt forms little cubes, quartz grows in
six-sided columns and snowflakes show their six-fold symmetry. Crystals grow slowly from
liquids, melts or vapours, and the slower the growth, the larger and more perfect they tend to
be. Some caves contain crystals taller than a person, formed over vast periods in warm, mineral-
rich water. Many gemstones are simply crystals that happen to be rare, hard and beautiful.

Fossils are the preserved remains or traces of ancient life. Most living things rot away
completely after death, so fossilisation is rare and requires special conditions, such as quick
burial in fine mud or sand. Over time, minerals may replace the original material, turning bone
or shell into stone. Footprints, burrows and even droppings can also be preserved. By studying
the layers of rock in which fossils are found, scientists can piece together when different
creatures lived and how life on Earth has changed.

Sand looks simple, but it has a surprisingly varied history. Much of it is made of tiny grains
of quartz, worn down from rocks over millions of years by rivers, waves and wind. Some beaches,
however, are made of crushed shells and coral, which gives them a brilliant white colour, while
others are black, formed from volcanic rock. Under a magnifying glass, a pinch of sand can
reveal rounded grains, sharp fragments, tiny shells and colourful minerals. Every beach has its
own particular mixture, shaped by its local geology.

Architecture is shaped by climate as much as by taste. In hot, dry regions, traditional houses
often have thick walls that keep interiors cool during the day, small windows and inner
courtyards that provide shade. In cold climates, buildings are compact, with steep roofs that
shed snow and materials that hold heat. In wet tropical areas, houses may stand on stilts with
wide overhanging roofs to keep rain off the walls and allow air to flow. Long before modern
heating and cooling, builders learned to work with the weather around them.

Gothic cathedrals were among the most ambitious buildings of the medieval world. Their builders
wanted them to soar upwards, filled with coloured light. To achieve this, they used pointed
arches, ribbed vaults and external supports called flying buttresses, which carried the weight
of the roof outwards and allowed the walls to be pierced by huge stained glass windows. Many
cathedrals took generations to complete, so that the people who laid the foundations never saw
the finished building. They remain astonishing achievements of patience, skill and faith.

Skyscrapers became possible in the late nineteenth century thanks to two key developments: steel
frames that could carry the weight of many floors, and safe passenger lifts. Before then,
buildings relied on thick load-bearing walls, which limited their height. The new towers changed
the skylines of cities and allowed many more people to work in the same small area of expensive
land. Modern skyscrapers must resist strong winds and, in some places, earthquakes, and some use
heavy moving weights near the top to reduce swaying.

I once lived in an old apartment building with a grand staircase that wound up around an open
well of light. The banister was polished smooth by a century of hands, and every step had a
slight dip in the middle where countless feet had passed. There was a lift, but it was slow and
temperamental, so most of us took the stairs. Neighbours met on the landings and stopped to
talk. When I moved to a modern flat, I missed that staircase more than anything else about the
building.

Bricks are one of the oldest manufactured building materials. Early bricks were made from mud
and straw and dried in the sun, while later bricks were fired in kilns, making them much harder
and more resistant to water. Their small size makes them easy to carry and lay by hand, and they
can be arranged in many decorative patterns called bonds. Whole towns were built from local
clay, giving each region a distinctive colour, from pale yellow to deep red. Well-made brick
walls can last for centuries.

Languages change constantly, even though the change is usually too slow for speakers to notice.
Words shift in meaning, pronunciations drift, and grammar gradually simplifies in some places
and grows more complex in others. Reading a text written a thousand years ago in what is
supposedly the same language can feel like reading a foreign tongue. New words are borrowed from
other languages, invented for new things or formed by combining old words. Every generation
complains that the young are ruining the language, and every generation passes it on changed.

Children learn their first language with astonishing ease. Without any formal lessons, they work
out thousands of words and complex grammatical rules simply by listening and interacting with
the people around them. They make mistakes that reveal the rules they are figuring out, such as
saying goed instead of went. Children who grow up hearing two or more languages usually learn
all of them, although they may mix them at first. Adults learning a new language, by contrast,
often find the same task far more difficult.

There are thousands of languages spoken in the world today, but they are very unevenly
distributed. A small number of languages are spoken by hundreds of millions of people, while
many others have only a few thousand speakers or fewer. Some regions, such as parts of the
Pacific and Africa, are extraordinarily rich in languages, with neighbouring valleys speaking
completely different tongues. Many smaller languages are in danger of disappearing as younger
generations switch to larger ones, and communities around the world are working to keep them
alive.

My grandmother spoke three languages and switched between them without thinking. She counted in
one, prayed in another and told jokes in the third. When she was angry, she used a fourth that
none of us understood, which she said she had learned from her own grandmother. As a child I
found this magical, as if she had secret doors in her head. I only managed to learn one of her
languages properly, and I still regret not asking her to teach me the others while I had the
chance.

Idioms are phrases whose meaning cannot be worked out from the individual words. To spill the
beans means to reveal a secret, and to be under the weather means to feel unwell. They are
colourful and expressive, but they are a real challenge for language learners, who may take them
literally with confusing results. Many idioms have forgotten origins in old trades, sports,
farming or sailing. Translating them is notoriously difficult, since the equivalent expression
in another language may use completely different images.

Tea was drunk in China for many centuries before it spread to other parts of the world. Legend
credits its discovery to an ancient ruler who noticed leaves blowing into his pot of boiling
water, though the true origins are uncertain. All true tea comes from the same plant, and the
differences between green, black, white and oolong teas come from how the leaves are processed
after picking. Green tea is heated soon after picking to stop the leaves from oxidising, while
black tea is allowed to oxidise fully, giving it a darker colour.

Coffee plants produce bright red fruits, often called cherries, each containing two seeds. These
seeds are the coffee beans, which are dried and roasted before they are ground and brewed.
According to a popular legend, a goat herder noticed that his animals became lively after eating
the fruit, although the story is probably not true. Coffee houses spread across many cities over
the centuries and became places where people met to talk, read newspapers, do business and argue
about politics. Some were nicknamed penny universities.

In my family, making tea is a ceremony. My father warms the pot first with hot water from the
kettle, tips it away, adds the leaves and then pours on water that has only just boiled. He lets
it stand for exactly four minutes, covered with a knitted cosy my mother made decades ago.
Nobody is allowed to touch the pot during this time. Then he pours it into proper cups, never
mugs, with a splash of milk. He claims it tastes completely different from a tea bag in a mug,
and he may be right.

Coffee can be prepared in many ways, each producing a different cup. Espresso is made by forcing
hot water through finely ground coffee under pressure, producing a small, strong drink topped
with a golden foam. Filter coffee lets hot water drip slowly through medium grounds, giving a
lighter, clearer result. A French press steeps coarse grounds in hot water before a mesh plunger
separates them. In some places, finely ground coffee is boiled with sugar in a small pot and
served unfiltered. Each method has devoted fans.

Afternoon tea became fashionable among the upper classes in parts of Europe during the
nineteenth century. The story goes that a duchess, feeling hungry in the long gap between lunch
and a late dinner, began asking for tea and light refreshments in the late afternoon and
inviting friends to join her. The custom spread, and it grew into an elegant occasion with small
sandwiches, scones with cream and jam, and delicate cakes, all served on fine china. Today many
hotels still serve it as a special treat.

Festivals mark the rhythm of the year in almost every culture. Many are tied to the seasons and
the farming calendar: celebrations of the first planting in spring, of the harvest in autumn and
of the return of light after the darkest days of winter. Others commemorate religious events,
historical moments or important figures. Festivals bring communities together through shared
food, music, dance and ritual. Even in modern cities, where few people farm, the old seasonal
festivals often survive, adapted to new ways of life.

Lantern festivals are held in many places, filling night skies and rivers with glowing light. In
some traditions, people release floating lanterns on water to carry away bad luck or to honour
their ancestors. In others, streets are decorated with paper lanterns in every shape and colour,
from simple globes to elaborate animals and dragons. Children carry small lanterns in
processions, and families gather to eat special sweets. Standing among thousands of softly
glowing lights on a cool evening is an unforgettable experience.

Every autumn our town holds a harvest fair on the green by the river. Farmers bring their
biggest pumpkins to be weighed, and there is fierce competition for the prizes for the best jam,
the tallest sunflower and the strangest-shaped vegetable. Children bob for apples, a brass band
plays slightly out of tune and the smell of roasting chestnuts drifts over everything. The same
families run the same stalls every year. It is not glamorous, but for one day the whole town
seems to gather in one place.

New Year is celebrated at different times in different calendars, but almost everywhere it is a
time for fresh starts. People clean their houses to sweep away the old year, settle debts, wear
new clothes and make resolutions. Fireworks, bells and drums are used in many places to scare
off bad luck and welcome the new year noisily. Special foods are eaten for luck, such as round
fruits for prosperity, long noodles for long life or lentils that resemble coins. Families
gather to share meals and wish each other well.
""")

_HELDOUT += _paragraphs("""
Carnival celebrations take place in many countries in the days before a period of fasting.
Traditionally, they were a last chance to eat rich foods and enjoy excess before a time of
restraint. Today, carnivals are famous for their parades, costumes, masks, music and dancing in
the streets. Some cities spend the whole year preparing enormous decorated floats and elaborate
outfits. Masks once allowed people to forget social rank for a few days, mixing freely with
others. The atmosphere can be joyful, chaotic and wonderfully noisy.

Hide and seek may be one of the oldest games in the world. One child closes their eyes and
counts while the others scatter to find hiding places, and then the search begins. The rules are
simple enough for very young children, yet the game can be surprisingly tense, especially when
the seeker creeps past a hiding place without noticing. Versions of the game are played across
many cultures. Part of its appeal is the thrill of being nearly found, and part is the joy of
being discovered at last.

Marbles were once among the most popular toys for children. Small balls of clay, stone and later
glass were rolled, flicked and aimed at each other in games played in the dirt of school yards
and streets. Some games were played for keeps, meaning the winner took the marbles of the loser,
which led to much excitement and a few tears. Children traded and collected them, prizing rare
colours and patterns. Although fewer children play marbles today, many adults still remember
their favourite shooter.

When I was eight, my friends and I spent an entire summer building a den at the bottom of a
neighbour's garden. It was made of old planks, a torn tarpaulin and an enormous amount of
string. We furnished it with cushions from someone's shed, a biscuit tin and a candle we were
strictly forbidden to light. We held secret meetings, invented passwords and drew maps of
imaginary kingdoms. The den collapsed in the first autumn storm, but I can still picture every
corner of it.

Skipping ropes have been used in playground games for generations. Children chant rhymes as they
jump, with the rope turned faster or slower depending on the words. Some games involve two long
ropes turned in opposite directions, which requires great timing to enter and leave without
getting tangled. The rhymes themselves are a kind of living folklore, passed from older children
to younger ones and changing slightly in every place and generation. Researchers who collect
playground rhymes often find surprising connections across countries.

Kites have been flown for well over two thousand years. They were used in early times for
signalling, measuring distances, testing the wind and even lifting people for observation, as
well as for pleasure. Today, kite flying is mostly a joyful pastime, and some places hold
festivals where the sky fills with kites of every shape and colour. In certain traditions,
people fight kites against each other, trying to cut the strings of rivals. All you need is a
breezy day, open ground and a little patience.

Building blocks are among the simplest and most valuable toys. With nothing more than a pile of
wooden shapes, a child can create towers, bridges, houses, animals and whole cities. In the
process, they learn about balance, weight, shape and cause and effect, often without realising
it. Knocking a tower down can be as satisfying as building it. Blocks also encourage children to
play together, negotiating about who builds what. Many families keep the same set of blocks for
decades, handing them down to younger cousins.

Insects are the most diverse group of animals on Earth. Scientists have described around a
million species, and many more remain undiscovered. All adult insects share a basic body plan:
three main sections called the head, thorax and abdomen, six legs and usually one or two pairs
of wings. Their hard outer skeleton protects them but must be shed for them to grow. Insects
pollinate plants, recycle dead material, feed countless birds and other animals, and play
essential roles in almost every land habitat.

Ants live in colonies that can contain millions of individuals, all working together as if they
were a single organism. Most ants in a colony are sterile female workers, who gather food, care
for the young, defend the nest and dig tunnels. A queen lays the eggs. Ants communicate mainly
through chemicals, laying down scent trails that lead other workers to food. Some species farm
fungi in underground gardens, others herd tiny insects for their sweet secretions, and some form
living bridges with their own bodies.

Butterflies go through one of nature's most dramatic transformations. They begin life as eggs,
hatch into caterpillars that eat almost constantly and grow quickly, and then form a chrysalis.
Inside this hard case, the caterpillar's body breaks down and reorganises itself into an
entirely new form. When the adult butterfly emerges, it must pump fluid into its crumpled wings
and wait for them to dry before it can fly. Many butterflies live only a few weeks as adults,
though some species migrate across continents.

One summer evening my daughter and I sat in the garden and watched fireflies rising from the
long grass. They blinked on and off in soft green flashes, drifting slowly upwards as the light
faded. She was four and convinced they were fairies. I explained that they were beetles using
light to find each other, but she was not interested in my explanation, and I did not blame her.
We stayed out until it was completely dark, counting the flashes and whispering, as if loud
voices might scare them away.

Dragonflies are expert hunters of the air. With four powerful wings that can move independently,
they can hover, fly backwards and change direction in an instant. Their huge eyes give them an
almost complete view of their surroundings. They catch other insects in flight with remarkable
success. Dragonflies spend most of their lives underwater as larvae, hunting tadpoles and small
creatures, sometimes for several years, before climbing up a plant stem, splitting their skin
and emerging as adults for a short life in the sun.

Beetles make up a huge share of all known insect species, which led one scientist to joke that
the creator must have had an inordinate fondness for them. Their front wings have hardened into
protective cases that cover the delicate flying wings beneath. Beetles live almost everywhere,
from deserts to forests to freshwater ponds. Some are tiny, others larger than a person's hand.
Some eat plants, others hunt, and many clean up dead wood, dung and fallen leaves, playing a
vital role in recycling nutrients.

Rivers shape the land they flow through. Near their sources, in hills and mountains, they are
usually fast and narrow, cutting deep valleys and carrying rocks and gravel. Further down, as
the land flattens, they slow and widen, winding across plains in great loops. When they flood,
they spread fine mud over the surrounding land, creating fertile fields. Near the sea, many
rivers split into several channels and drop their load of sediment, building up land called a
delta. Many great cities have grown up beside rivers.

Wetlands, such as marshes, swamps and bogs, were once often seen as useless land to be drained
for farming or building. We now know that they are among the most valuable habitats on Earth.
They store huge amounts of water, reducing floods downstream and releasing water slowly during
dry periods. They filter pollution, shelter many birds, fish and insects, and some store large
amounts of carbon in their soils. Restoring damaged wetlands has become an important part of
nature conservation in many countries.

Lakes come in many forms. Some fill valleys carved by ancient glaciers, others sit in the
craters of old volcanoes and some were created when rivers were blocked by landslides or by
people building dams. Deep lakes often form layers in summer, with warm water floating on top of
cold, dense water below. In autumn, as the surface cools, the layers mix again. Lakes can be
home to fish, birds, insects and plants, and many communities depend on them for drinking water,
fishing and recreation.

My grandfather fished the same stretch of river every Sunday for most of his life. He rarely
caught much, and he usually put back what he did catch. When I was old enough, he started taking
me with him. We sat on the bank for hours, saying almost nothing, watching the water and the
herons and the light changing on the surface. I was bored at first. Then I started to notice
things: a kingfisher flashing past, the ripple of a fish rising. Now I understand why he went.

Beavers are sometimes called nature's engineers. Using their strong teeth, they cut down trees
and build dams across streams, creating ponds where they can build their lodges safely away from
predators. These dams change the landscape dramatically. The ponds they create slow the flow of
water, reduce floods, trap sediment and provide homes for fish, frogs, insects and birds. In
some places where beavers had disappeared long ago, they have been reintroduced, and their work
has helped to restore damaged rivers and wetlands.

Numbers were probably first used for counting practical things, such as animals, days or goods
to be traded. Early people made notches on sticks and bones, and later developed symbols for
numbers. Different cultures used different systems, counting in tens, twenties or sixties, which
is why we still divide hours into sixty minutes. The idea of zero as a number in its own right
took a long time to develop and spread, but it made calculation far easier. Today we rarely stop
to think about how remarkable numbers are.

Prime numbers are whole numbers greater than one that can only be divided evenly by one and by
themselves. Two, three, five, seven and eleven are the first few. Every other whole number
greater than one can be built by multiplying primes together in exactly one way, which makes
them the building blocks of arithmetic. There are infinitely many primes, a fact proved long ago
with a beautifully simple argument. Yet their pattern remains mysterious, and some questions
about how they are distributed are still unsolved.

Geometry began with practical problems, such as measuring fields after floods or designing
buildings. The word itself means measuring the earth. Ancient mathematicians turned these
practical rules into a system of reasoning, starting from a few simple assumptions and proving
many results from them step by step. The study of shapes, angles, areas and volumes remains
useful in everything from carpentry to astronomy. Many people remember learning in school that
the angles of a triangle always add up to a straight line.

I was terrible at mathematics at school. I found the symbols confusing and the lessons dull, and
I was sure I simply did not have a mathematical brain. Years later, I started helping my nephew
with his homework and discovered that I actually enjoyed it. Without the pressure of exams, I
could take my time, draw pictures and ask silly questions. Slowly, things I had never understood
began to make sense. I now think I was never bad at mathematics, only frightened of it.

Probability is the mathematics of chance. It helps us understand how likely different outcomes
are, from tossing a coin to forecasting the weather. Our intuitions about chance are often
wrong. Many people believe, for example, that after a coin lands on heads several times in a
row, tails is due, but each toss is independent and the odds remain the same. Casinos, insurance
companies and scientists all depend on probability. Understanding it even a little can help
people make better decisions about risks in everyday life.

Bones are living tissue, constantly being broken down and rebuilt throughout our lives. They
support the body, protect the organs, store minerals such as calcium and, in their hollow
centres, produce blood cells. A newborn baby has more bones than an adult, because some fuse
together as the body grows. Bones are strong but light, thanks to their structure, which is
dense on the outside and honeycombed on the inside. Regular exercise and a diet with enough
calcium help keep them strong into old age.

The human eye works rather like a camera, although it is far more sophisticated. Light enters
through the clear cornea at the front and passes through the pupil, whose size is adjusted by
the coloured iris. The lens focuses the light onto the retina at the back of the eye, which
contains millions of light-sensitive cells. Some of these cells work best in dim light and see
mainly in shades of grey, while others detect colour in bright light. The brain then turns these
signals into the images we see.

Skin is the body's largest organ. It forms a waterproof barrier that keeps water in and germs
out, helps control body temperature through sweating and blood flow, and contains nerves that
sense touch, heat, cold and pain. The outer layer is constantly renewing itself, as old cells
are shed and replaced from below. Skin also produces vitamin D when exposed to sunlight.
Protecting it from too much sun, keeping it clean and treating cuts properly help it do its many
jobs well.

Teeth are covered with enamel, the hardest substance in the human body. Yet enamel can be worn
away by acids produced when bacteria in the mouth feed on sugar. This is why frequent sugary
snacks and drinks are particularly harmful. Brushing twice a day with fluoride toothpaste,
cleaning between the teeth and visiting a dentist regularly all help prevent decay. Humans get
two sets of teeth in a lifetime: milk teeth in childhood, which fall out, and permanent adult
teeth, which must last the rest of our lives.

The polar regions are among the harshest environments on Earth. In the Arctic, a frozen ocean is
surrounded by land, while Antarctica is a continent covered by an ice sheet thousands of metres
thick and surrounded by ocean. Both have long winters with weeks of darkness and summers in
which the sun never sets. Despite the cold, they are full of life. Seals, seabirds and, in the
Arctic, polar bears depend on the sea ice, while vast numbers of tiny creatures in the water
feed larger animals.

Penguins live almost entirely in the southern hemisphere, from the icy coasts of Antarctica to
warmer shores farther north. They cannot fly, but their wings have become powerful flippers,
making them superb swimmers that can dive deep in search of fish, squid and krill. On land they
waddle or slide on their bellies across the ice. Many species breed in enormous colonies, where
parents find their own chick among thousands by recognising its call. Some penguins endure the
long Antarctic winter huddled together for warmth.

Icebergs are huge pieces of freshwater ice that have broken off glaciers or ice shelves and
float in the sea. Because ice is only slightly less dense than seawater, most of an iceberg lies
hidden below the surface, which is where the phrase the tip of the iceberg comes from. Some
icebergs are larger than small countries and can drift for years before melting. Their hidden
bulk makes them dangerous to ships, so their positions in busy sea routes are carefully tracked
and reported.

Explorers who travelled to the polar regions in the early twentieth century faced extreme
hardship. They hauled heavy sledges across ice and snow, often in temperatures far below
freezing, and relied on dogs, ponies or their own strength. Some expeditions ended in tragedy,
while others became famous stories of endurance and survival. Their diaries describe frostbite,
hunger and fierce storms, but also the overwhelming beauty of the ice. Today researchers work at
permanent stations, studying climate, ice and wildlife in far greater comfort.

Glass is made by melting sand, usually with soda and lime added to lower the melting point, at
very high temperatures. While it is hot and soft, it can be blown into bubbles, pressed into
moulds, drawn into sheets or spun into fine threads. Glassblowers gather a glowing blob on the
end of a long metal pipe and shape it with their breath, simple tools and constant turning. As
it cools, glass becomes hard and transparent. Ancient glass was often cloudy and coloured, and
clear window glass was once a great luxury.

Mosaics are pictures or patterns made from many small pieces of stone, glass or pottery set into
a surface. Ancient mosaic floors have survived in villas and public buildings for two thousand
years, showing hunting scenes, sea creatures, gods and everyday life in remarkable detail.
Later, shimmering mosaics of gold and coloured glass covered the walls and domes of great
churches, catching the light of candles. Making a mosaic requires patience, a good eye for
colour and the ability to imagine how thousands of tiny fragments will look as a whole.

Before people could easily travel or talk across long distances, handwritten letters carried
news, love, business and gossip between families and friends. Letters could take weeks or months
to arrive, and many were read aloud to whole households. Historians treasure old letters because
they reveal the private thoughts and ordinary concerns of people who left no other record.
Writing a letter by hand today has become rare, which is perhaps why receiving one feels so
special. The paper, the handwriting and the care taken all carry meaning.

Sailors have relied on knots for thousands of years, and each one has a particular purpose. Some
are designed to hold fast under heavy strain yet untie easily afterwards, others join two ropes
together, form a fixed loop or shorten a line. The bowline, for example, makes a loop that will
not slip, and it was once taught to every young sailor. Knots are also used by climbers,
anglers, farmers and anyone who needs to secure a load. Learning a few reliable ones is a
surprisingly practical skill.
""")

REPLAY_PARAGRAPHS: tuple[str, ...] = tuple(_REPLAY)
HELDOUT_PARAGRAPHS: tuple[str, ...] = tuple(_HELDOUT)
