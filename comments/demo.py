"""The demo content: the seed page "Baclofen in PTSD Treatment", exactly as published."""

import datetime
from zoneinfo import ZoneInfo

EASTERN = ZoneInfo("America/New_York")

BLOG = {"slug": "traumaptsdblog", "title": "Trauma! A PTSD Blog",
        "description": "Living with, and healing from, post-traumatic stress disorder."}

AUTHOR = {
    "slug": "michele-rosenthal",
    "display_name": "Michele Rosenthal",
    "given_names": "Michele",
    "family_name": "Rosenthal",
    "bio": (
        '<p>Michele is the author of <a href="https://www.healmyptsd.com/">Your Life After Trauma: Powerful '
        "Practices to Reclaim Your Identity</a>. Connect with her on "
        '<a href="https://plus.google.com/+MicheleRosenthal">Google+</a>, '
        '<a href="https://www.linkedin.com/in/michelerosenthal">LinkedIn</a>, '
        '<a href="https://www.facebook.com/HealMyPTSD">Facebook</a>, '
        '<a href="https://twitter.com/healmyptsd">Twitter</a> and '
        '<a href="https://www.healmyptsd.com/">her website</a>,</p>'
    ),
}

SOCIAL_LINKS = [
    ("LinkedIn", "https://www.linkedin.com/in/michelerosenthal"),
    ("Facebook", "https://www.facebook.com/HealMyPTSD"),
    ("Twitter", "https://twitter.com/healmyptsd"),
    ("Website", "https://www.healmyptsd.com/"),
]

TOPICS = [("PTSD", "ptsd"), ("Treatment", "treatment")]

ARTICLE = {
    "slug": "baclofen-in-ptsd-treatment",
    "title": "Baclofen in PTSD Treatment",
    "published_at": datetime.datetime(2012, 10, 24, 9, 0, tzinfo=EASTERN),
    "summary": "A study of baclofen in PTSD points at GABA, the brain's own calming neurotransmitter, "
               "and at safe ways to increase it without the drug.",
    "body": """<p>Recently, I received an email from a client's wife about baclofen and how it's being used to treat PTSD. She sent <a href="https://pubmed.ncbi.nlm.nih.gov/?term=baclofen+PTSD">links</a> withthe results of a study examining the efficacy of baclofen in PTSD treatment. While the research is compelling it made me think, "How can get we get these results without the drug?"</p>
<p>So I did a little sleuthing....</p>
<h2>Why GABA Should Be Important To You</h2>
<p>Technically, baclofen is a muscle relaxer and antispastic agent used to treat muscle symptoms caused by multiple sclerosis, including spasms, pain, stiffness, etc. What researcher's believe is that baclofen may actually increase your brain's levels of the neurotransmitter GABA (gamma-aminobutyric acid).</p>
<p>The role of GABA is to inhibit nerve transmission in the brain thereby calming nervous activity. That would be a big plus in PTSD, wouldn't it?</p>
<p>The full role of GABA is explained very perfectly in <a href="https://duckduckgo.com/?q=Laura+Owens+GABA+neurotransmitter">this article by Laura Owens</a>,</p>
<blockquote>
<p>As one of the primary neurotransmitters in the brain, GABA is an inhibitory (vs. excitatory) chemical responsible for creating the calming, rhythmic electrical impulses in the brain. It elevates the production of alpha waves associated with feeling relaxed (without drowsiness) and boosts mental alertness. GABA lowers beta waves, impulses that contribute to a state of nervousness, racing thoughts and hyperactivity.</p>
<p>While a balanced brain receives regular, smooth electrical impulses, a GABA deficient one receives them in spurts. As a result, the brain experiences arrhythmia, or dysrhythmia which directly affects overall emotional well-being.</p>
</blockquote>
<p>Here's where things get interesting: researchers believe GABA levels can be low in PTSD survivors, which means there is less nerve transmission inhibition leading to increased levels of anxiety. In a <a href="https://pubmed.ncbi.nlm.nih.gov/?term=baclofen+posttraumatic+stress+disorder+clinician-administered+PTSD+scale">recent study</a> of fourteen PTSD survivors taking baclofen in the eleven who completed the 8-week study every single one experienced a reduced rating on the Clinician-Administered PTSD Scale.</p>
<p>While too little is yet known about the absolute efficacy or even the long-term side effects of baclofen in PTSD treatment there's something much more important, less risky and easy to implement that we can learn from this news: GABA is a neurotransmitter made in your brain, which means there are holistic methods of increasing it. Whether you need baclofen or not, any PTSD brain could use a little boost of the juice.</p>
<h2>Safe Ways to Increase GABA In Your Brain</h2>
<p>Natural anti-anxiety nutrition includes GABA producing foods you can easily incorporate into your daily diet. For example: almonds, tree nuts, bananas, beef liver, broccoli, brown rice, halibut, lentils, oats, whole grain, oranges/citrus fruits, rice bran, spinach, walnuts, whole grains (including wheat and oats).</p>
<p>Other ways to improve production and functioning of your neurotransmitters outside of diet include:</p>
<p><strong>Avoid</strong>: smoking, drinking or drugs, sugar, caffeine, white flour, junk food.</p>
<p><strong>Implement</strong>: a high protein diet - preferably meat protein, adjust diet by identifying food allergies/sensitivities, exercise regularly, practice mindfulness, breathwork, meditation, plus activities that access a spiritual a sense (yoga, prayer, daily walking, art, music, writing), practice habits of stress management.</p>
<p>There are so many things out of your control in the PTSD experience. Taking steps to offer your brain nutritional support that can help stimulate the production of GABA, your brain's very own calm inducing element, is an easy, economical and healthy way to do something that really takes good care of you. So the question is, how will you use this information, and when?</p>""",
}


def _at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=EASTERN)


# The five comments, oldest first; "reply_to" names the created time of the parent.
COMMENTS = [
    {
        "created_at": _at(2013, 10, 6, 8, 3),
        "body": """This is my second round on Baclofen for MS AND severe spondylosis. It causes insomnia for me, but the trade off is that I have far fewer "brain fog" days and I seem to have more energy. While I do not really notice that I'm calmer (in fact I seem slightly more angry and agitated than usual) this could be because my doctor dropped me off all pain medication, from 16 mg per day to nothing without titrating the dose down first, so the past few months have been a "challenge" and may be contributing to that sense of agitation. PS... I do also have well documented PTSD related to military service.""",
    },
    {
        "created_at": _at(2013, 11, 24, 19, 30),
        "body": """I was given baclofen for another condition but noticed my complex PTSD was suddenly absent. Because the medicine was prescribed for a different condition, obviously I wasn't having a placebo effect. It took some research before I found a 2008 small sample study with baclofen and PTSD that showed a 100% efficacy. I found it works on PTSD with low doses. Best of all, over time it retrains the brain. Taking 10-20 mg 3 times a day was my original dosage. Also, I could split a pill and take 5-10 mg extra when faced with a particularly stressful situation. It's been 3-4 years since that first prescription. I can handle more stress than average people now. I'm rarely jarred. I can do without my baclofen completely although I do keep some on hand in case I'm ever in another high stress situation. It's the only thing that was able to retrain my brain to stop the excessive fight-or-flight reaction. I've been trying to bring attention to this for a long time. I hate that so many people are suffering excessively when there is something so simple that can immediately be done to ease the symptoms.""",
    },
    {
        "created_at": _at(2014, 7, 21, 2, 3),
        "body": """I had no idea about the PTSD aspects. I was taking it for severe pain that included spastic muscle contractions especially in my jaw and shoulders, especially at night before I fell asleep, sometimes my whole body would jerk me awake and then I'd realize I was tense enough to scream or lash out at anyone who even so much as spoke to me. For no reason. I do have PTSD but not from military service, from a violent and unfortunate childhood that thankfully did not make me a criminal, but I walk a tightrope every day between the desire to hurt myself, hide away and never talk to people, lash out at everyone even loved ones (verbally), or simply cry all the time. Sometimes there is no reason for feeling that way. I'm very very aware of the risk of becoming an abuser myself because I was raised by one, and I'm full of the shame of that, and the fear of it. OK enough baring of the soul. That's just so you know that non military people have PTSD too.
Lately I've been getting better and better with a Paleo diet, but a ketogenic one which seems to reduce my pain levels a lot. It's hard to have enough protein in it, but I calculate obsessively and I'm good at it. I have a book by Kossoff and another by Volek to help me. I voluntarily got off of all pain drugs and I was on way too many, and sleep drugs. They were messing with my head too much. I hate drugs that mess me up and I hate alcohol or anything that makes me loopy. Baclofen does relax me and stops the twitching which must be a holdover from the torticollis I had as a kid. I've found that I can use small amounts of it, and I got off of it a few times just to see if I could. Yes, but then anxiety follows in a few weeks and I go back on. If I take too much, it gives me nasty dead, no feelings depression. I call it chemical depression. Then I have to back it off slowly until I can feel again. I'm experimenting with GABA supplements now to see the difference.
The interesting thing is, I also had Gabapentin for a while. Took both that and Baclofen at the same time. It wasn't a problem and seemed to give me energy. Then later, when I tried it again, I got a horrible hundred-years migraine. Could be a coincidence.
I went on the keto diet because people were always prescribing things like Lyrica, Gabapentin, Amytriptiline etc... to try and control my pain and I was sick of it. They never really helped. At least gabapentin gave me some energy, but I wasn't in less pain. Thanks for letting me know about the PTSD effects of baclofen. I figured I'd let you know what worked for me for pain, since they seem to go together for other people too (I mean, PTSD and pain).
Sorry this is rambling a bit. I got off of baclofen lately and now I can't sleep until it is re-established. In a couple of days I'll be better again thanks to your tip.""",
    },
    {
        "created_at": _at(2015, 8, 26, 2, 46),
        "reply_to": _at(2013, 11, 24, 19, 30),
        "body": """Hi Estrella,
Been a while since this post was written, however, can I get in contact with you in some way? I'd really would like to know some more about which CPTSD-symptoms Baclofen helped you with.""",
    },
    {
        "created_at": _at(2019, 1, 16, 8, 52),
        "body": """I take Baclofen combined with gabapentin. A truly magnificent combo which gets up the nose of those pushing alternative medicine. Migraines have gone from 10-15 month to 1-2. No amount of diets or excercise achieved that. And believe me I tried for 3 decades. 30 years of being told to avoid "toxic" pharmaceuticals. Who do I sue for the unnecessary misery and suffering I went through? Nobody apparently. My fibromyalgia pain is greatly reduced. Big pharma drugs have enabled me to live when I had contemplated ending it all. So the question is, how will you use this information, and when?""",
    },
]

# Staff accounts made by `loaddemo --password`: username -> (group, first name, last name).
STAFF = {
    "editor": ("Editors", "Eddie", "Editor"),
    "author": ("Authors", "Michele", "Rosenthal"),
    "moderator": ("Moderators", "Morgan", "Moderator"),
}

# The verified reader made by `loaddemo --password`: a confirmed address, a display name of their own.
READER = {"username": "reader", "email": "reader@example.com", "display_name": "Jordan R."}

# The clinician made by `loaddemo --password`: a Reviewers login with an author profile that lists credentials.
REVIEWER = {
    "username": "reviewer", "slug": "dana-lee", "display_name": "Dana Lee", "given_names": "Dana",
    "family_name": "Lee", "credentials": "MD", "bio": "<p>Dana Lee is a psychiatrist who reviews articles on medication.</p>",
}
