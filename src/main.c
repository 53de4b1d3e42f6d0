/* linli: one binary for a residential area's work. */
#include <stdio.h>
int main(void)
{
	return 0;
}
